// Static files: serves the built web client (web/dist) for every non-API GET.
//
// A path that names no file falls back to index.html, so the Vue router's history-mode URLs
// (/registry/persons/42) load the app, except under assets/ or for a name with a known file extension, where
// a missing file is a real 404 rather than HTML in place of a script. A ".." segment is refused, and a
// symlink leading out of the root is treated as missing.
//
// Text files are sent gzip-compressed to clients that accept it: a precompressed "<file>.gz" beside the file
// if the build made one, else compressed once here and kept in memory until the file changes. Hashed build
// output (assets/index-4f3a2b1c.js) is cached by browsers for a year; everything else, index.html included,
// is revalidated by ETag on each load so a new release is picked up at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "common/status.h"

namespace doudi::http {

struct StaticFile {
  int status = 200;                          // 200, or 304 when If-None-Match matched (body is then null)
  std::shared_ptr<const std::string> body;   // the bytes to send, already encoded as content_encoding says
  std::string content_type;
  std::string content_encoding;              // "gzip" or ""
  std::string cache_control;
  std::string etag;
  bool vary_accept_encoding = false;         // the body depends on Accept-Encoding
};

class StaticFiles {
 public:
  // root: the directory to serve; if it does not exist every request is a 404 (API-only deployments).
  explicit StaticFiles(std::filesystem::path root);

  // path: the decoded URL path ("/assets/app.js"); the other two are request header values ("" if absent).
  // Errors: Invalid "http.bad_path" for traversal attempts, NotFound "http.not_found".
  Result<StaticFile> Get(std::string_view path, std::string_view accept_encoding,
                         std::string_view if_none_match) const;

  // Whether an Accept-Encoding value admits gzip (q > 0), per RFC 9110.
  static bool AcceptsGzip(std::string_view accept_encoding);

 private:
  struct Cached {
    int64_t size = 0;
    int64_t mtime_ns = 0;
    std::shared_ptr<const std::string> bytes;
  };
  Result<StaticFile> Serve(const std::filesystem::path& file, std::string_view rel, bool gzip,
                           std::string_view if_none_match) const;
  // The file's bytes (or, with compress, its gzip encoding), from the cache while size and mtime are unchanged.
  std::shared_ptr<const std::string> Load(const std::filesystem::path& file, int64_t size, int64_t mtime_ns,
                                          bool compress) const;

  std::filesystem::path root_;  // canonical; empty when the directory does not exist
  mutable std::mutex mu_;
  mutable std::map<std::string, Cached> cache_;  // key: path, plus "|gz" for compressed copies
  mutable size_t cached_bytes_ = 0;
};

}  // namespace doudi::http
