#include "http/static_files.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <vector>

namespace doudi::http {

namespace {

namespace fs = std::filesystem;

constexpr size_t kMinCompressSize = 1024;             // below this gzip saves less than its header costs
constexpr size_t kMaxCachedFile = 8u << 20;           // bigger files are read (and compressed) per request
constexpr size_t kMaxCachedTotal = 64u << 20;

struct Mime {
  std::string_view ext;
  std::string_view type;
  bool compressible;
};

constexpr Mime kMimes[] = {
    {"html", "text/html; charset=utf-8", true},
    {"js", "application/javascript; charset=utf-8", true},
    {"mjs", "application/javascript; charset=utf-8", true},
    {"css", "text/css; charset=utf-8", true},
    {"json", "application/json; charset=utf-8", true},
    {"map", "application/json; charset=utf-8", true},
    {"webmanifest", "application/manifest+json", true},
    {"svg", "image/svg+xml", true},
    {"txt", "text/plain; charset=utf-8", true},
    {"csv", "text/csv; charset=utf-8", true},
    {"xml", "application/xml", true},
    {"wasm", "application/wasm", true},
    {"png", "image/png", false},
    {"jpg", "image/jpeg", false},
    {"jpeg", "image/jpeg", false},
    {"gif", "image/gif", false},
    {"webp", "image/webp", false},
    {"ico", "image/x-icon", false},
    {"woff2", "font/woff2", false},
    {"woff", "font/woff", false},
    {"ttf", "font/ttf", false},
    {"pdf", "application/pdf", false},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", false},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

const Mime* FindMime(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return nullptr;
  std::string ext = Lower(name.substr(dot + 1));
  for (const auto& m : kMimes) {
    if (m.ext == ext) return &m;
  }
  return nullptr;
}

// Vite names build output "<name>-<hash>.<ext>" with an 8-character hash (hex in Vite 4, base64url in 5).
bool HasBuildHash(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string_view stem = name.substr(0, dot);
  if (stem.size() < 10 || stem[stem.size() - 9] != '-') return false;
  return std::all_of(stem.end() - 8, stem.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string ReadFile(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string Gzip(const std::string& data) {
  // cpp-httplib's gzip compressor (zlib, gzip framing); the library already links zlib for us.
  httplib::detail::gzip_compressor compressor;
  std::string out;
  compressor.compress(data.data(), data.size(), true, [&](const char* p, size_t n) {
    out.append(p, n);
    return true;
  });
  return out;
}

bool RegularFile(const fs::path& p, struct stat* st) { return ::stat(p.c_str(), st) == 0 && S_ISREG(st->st_mode); }

int64_t MtimeNs(const struct stat& st) { return int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec; }

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  if (Trim(if_none_match) == "*") return true;
  while (!if_none_match.empty()) {
    size_t comma = if_none_match.find(',');
    std::string_view tag = Trim(if_none_match.substr(0, comma));
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag) return true;
    if (comma == std::string_view::npos) break;
    if_none_match.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

StaticFiles::StaticFiles(fs::path root) {
  std::error_code ec;
  fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical, ec)) {
    spdlog::warn("static files: {} is not a directory; only the API is served", root.string());
    return;
  }
  root_ = canonical;
}

bool StaticFiles::AcceptsGzip(std::string_view accept_encoding) {
  std::optional<bool> gzip, any;
  while (!accept_encoding.empty()) {
    size_t comma = accept_encoding.find(',');
    std::string_view item = Trim(accept_encoding.substr(0, comma));
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    size_t semi = item.find(';');
    std::string coding = Lower(Trim(item.substr(0, semi)));
    bool accepted = true;
    if (semi != std::string_view::npos) {
      std::string params = Lower(item.substr(semi + 1));
      size_t q = params.find("q=");
      // q=0, q=0.0, q=0.000 refuse; any other weight accepts.
      if (q != std::string::npos) {
        std::string_view w = Trim(std::string_view(params).substr(q + 2));
        accepted = !w.empty() && w.find_first_not_of("0.") < std::min(w.size(), w.find_first_of(" ;"));
      }
    }
    if (coding == "gzip" || coding == "x-gzip") gzip = accepted;
    if (coding == "*") any = accepted;
  }
  return gzip ? *gzip : any.value_or(false);
}

Result<StaticFile> StaticFiles::Get(std::string_view path, std::string_view accept_encoding,
                                    std::string_view if_none_match) const {
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string_view::npos ||
      path.find('\\') != std::string_view::npos) {
    return Status::Invalid("http.bad_path", "非法的文件路径");
  }
  std::vector<std::string_view> segments;
  for (size_t start = 1; start <= path.size();) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view seg = path.substr(start, slash - start);
    if (seg == ".." || seg == ".") return Status::Invalid("http.bad_path", "非法的文件路径");
    if (!seg.empty()) segments.push_back(seg);
    start = slash + 1;
  }
  auto not_found = [] { return Status::NotFound("http.not_found", "请求的文件不存在"); };
  if (root_.empty()) return not_found();
  // Dot files (.env, .git) are never part of a build; refuse them even if someone copied one in.
  for (auto seg : segments) {
    if (seg.front() == '.') return not_found();
  }
  std::string rel;
  for (auto seg : segments) {
    if (!rel.empty()) rel += '/';
    rel += seg;
  }
  bool gzip = AcceptsGzip(accept_encoding);
  if (!rel.empty()) {
    fs::path file = root_ / rel;
    struct stat st;
    if (RegularFile(file, &st)) {
      // Resolve symlinks: a link may not lead out of the root.
      std::error_code ec;
      fs::path real = fs::canonical(file, ec);
      auto [r, f] = std::mismatch(root_.begin(), root_.end(), real.begin(), real.end());
      if (ec || r != root_.end()) return not_found();
      return Serve(file, rel, gzip, if_none_match);
    }
    if (rel.starts_with("assets/") || FindMime(segments.back()) != nullptr) return not_found();
  }
  fs::path index = root_ / "index.html";
  struct stat st;
  if (!RegularFile(index, &st)) return not_found();
  return Serve(index, "index.html", gzip, if_none_match);
}

Result<StaticFile> StaticFiles::Serve(const fs::path& file, std::string_view rel, bool gzip,
                                      std::string_view if_none_match) const {
  struct stat st;
  if (!RegularFile(file, &st)) return Status::NotFound("http.not_found", "请求的文件不存在");
  const Mime* mime = FindMime(file.filename().string());
  StaticFile out;
  out.content_type = mime ? std::string(mime->type) : "application/octet-stream";
  std::string_view name = rel.substr(rel.rfind('/') == std::string_view::npos ? 0 : rel.rfind('/') + 1);
  out.cache_control = rel.starts_with("assets/") && HasBuildHash(name) ? "public, max-age=31536000, immutable"
                                                                         : "no-cache";
  bool compressible = mime && mime->compressible;
  fs::path precompressed = file;
  precompressed += ".gz";
  struct stat gz_st;
  bool has_precompressed = RegularFile(precompressed, &gz_st);
  out.vary_accept_encoding = has_precompressed || (compressible && size_t(st.st_size) >= kMinCompressSize);

  bool send_gzip = gzip && out.vary_accept_encoding;
  const struct stat& source = send_gzip && has_precompressed ? gz_st : st;
  // Strong ETags must differ between encodings of the same file.
  out.etag = fmt::format("\"{:x}-{:x}{}\"", source.st_size, MtimeNs(source), send_gzip ? "-gz" : "");
  if (!if_none_match.empty() && EtagMatches(if_none_match, out.etag)) {
    out.status = 304;
    if (send_gzip) out.content_encoding = "gzip";
    return out;
  }
  if (send_gzip) {
    out.content_encoding = "gzip";
    out.body = has_precompressed ? Load(precompressed, gz_st.st_size, MtimeNs(gz_st), false)
                                 : Load(file, st.st_size, MtimeNs(st), true);
  } else {
    out.body = Load(file, st.st_size, MtimeNs(st), false);
  }
  return out;
}

std::shared_ptr<const std::string> StaticFiles::Load(const fs::path& file, int64_t size, int64_t mtime_ns,
                                                     bool compress) const {
  std::string key = file.string() + (compress ? "|gz" : "");
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.size == size && it->second.mtime_ns == mtime_ns) return it->second.bytes;
  }
  // Read and compress outside the lock; two threads may both do it once, which is harmless.
  std::string bytes = ReadFile(file);
  auto result = std::make_shared<const std::string>(compress ? Gzip(bytes) : std::move(bytes));
  if (size_t(size) <= kMaxCachedFile) {
    std::lock_guard lock(mu_);
    auto& slot = cache_[key];
    if (slot.bytes) cached_bytes_ -= slot.bytes->size();
    if (cached_bytes_ + result->size() > kMaxCachedTotal) {
      // A build is a few MB; overflowing means many releases were served without a restart. Start afresh.
      cache_.clear();
      cached_bytes_ = 0;
    }
    cache_[key] = Cached{size, mtime_ns, result};
    cached_bytes_ += result->size();
  }
  return result;
}

}  // namespace doudi::http
