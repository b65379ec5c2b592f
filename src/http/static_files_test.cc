#include "http/static_files.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "http/server.h"
#include "http/test_util.h"

namespace doudi::http {
namespace {

namespace fs = std::filesystem;
using testing::HeaderOf;
using testing::RawConnection;

constexpr char kCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

void Write(const fs::path& p, const std::string& data) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << data;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Decodes gzip with the gzip(1) tool, not the code under test.
std::string Gunzip(const fs::path& dir, const std::string& data) {
  Write(dir / "blob.gz", data);
  std::string cmd = "gzip -dc '" + (dir / "blob.gz").string() + "' > '" + (dir / "blob").string() + "'";
  if (std::system(cmd.c_str()) != 0) return "<gzip failed>";
  return Slurp(dir / "blob");
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/doudi_static_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    dist_ = tmp_ / "dist";
    // Big enough (> 1 KB) to be worth compressing.
    index_ = "<!doctype html><html><head><title>兜底</title></head><body><div id=app></div>" +
             std::string(3000, ' ') + "</body></html>";
    script_ = "console.log('doudi');\n" + std::string(4000, '/') + "\n";
    Write(dist_ / "index.html", index_);
    Write(dist_ / "assets/index-4f3a2b1c.js", script_);
    Write(dist_ / "assets/vendor-BMt8_Q-a.js", "/* vite 5 hash */");
    Write(dist_ / "assets/logo.png", std::string("\x89PNG\r\n\x1a\n", 8) + std::string(3000, '\x01'));
    Write(dist_ / "assets/app-0a1b2c3d.css", "body{}" + std::string(2000, ' '));
    Write(dist_ / "favicon.ico", "ico");
    Write(dist_ / ".env", "SECRET=1");
    Write(tmp_ / "secret.txt", "top secret");
    fs::create_symlink(tmp_ / "secret.txt", dist_ / "leak.txt");
    // A precompressed copy whose content differs from the original, to tell which one was sent.
    Write(tmp_ / "pre.css", "/* precompressed */");
    ASSERT_EQ(std::system(("gzip -c '" + (tmp_ / "pre.css").string() + "' > '" +
                           (dist_ / "assets/app-0a1b2c3d.css.gz").string() + "'").c_str()),
              0);

    ServerConfig config;
    config.port = 0;
    config.threads = 4;
    config.access_log = false;
    config.static_dir = dist_.string();
    Router router;
    RouteOptions is_public;
    is_public.is_public = true;
    router.Get("/api/v1/ping", is_public, [](Request&) -> Result<Response> {
      return Response::Json({{"pong", true}});
    });
    server_ = std::make_unique<Server>(config, std::move(router), ServerHooks());
    ASSERT_TRUE(server_->Start().ok());
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(tmp_);
  }
  httplib::Client Client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_decompress(false);  // see exactly what was sent
    return c;
  }

  fs::path tmp_, dist_;
  std::string index_, script_;
  std::unique_ptr<Server> server_;
};

TEST_F(StaticFilesTest, IndexWithSecurityHeadersAndNoCache) {
  auto c = Client();
  auto r = c.Get("/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, index_);
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(r->get_header_value("Content-Security-Policy"), kCsp);
  EXPECT_EQ(r->get_header_value("X-Frame-Options"), "DENY");
  EXPECT_EQ(r->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->get_header_value("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(c.Get("/index.html")->body, index_);
  // The API is still the API.
  EXPECT_EQ(c.Get("/api/v1/ping")->body, "{\"pong\":true}");
}

TEST_F(StaticFilesTest, SpaFallbackForAppRoutesButNotForMissingFiles) {
  auto c = Client();
  for (const char* route : {"/registry/persons/42", "/login", "/stats/2024.q1-report"}) {
    auto r = c.Get(route);
    EXPECT_EQ(r->status, 200) << route;
    EXPECT_EQ(r->body, index_) << route;
    EXPECT_EQ(r->get_header_value("Cache-Control"), "no-cache") << route;
  }
  for (const char* missing : {"/assets/index-deadbeef.js", "/assets/whatever", "/missing.png", "/robots.txt"}) {
    auto r = c.Get(missing);
    EXPECT_EQ(r->status, 404) << missing;
    EXPECT_NE(r->body.find("http.not_found"), std::string::npos) << missing;
  }
  // Unknown API paths are JSON 404s, never the app.
  EXPECT_EQ(c.Get("/api/v1/registry/persons/42")->status, 404);
}

TEST_F(StaticFilesTest, HashedAssetsAreImmutableOthersRevalidate) {
  auto c = Client();
  auto r = c.Get("/assets/index-4f3a2b1c.js");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, script_);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/javascript; charset=utf-8");
  EXPECT_EQ(r->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(c.Get("/assets/vendor-BMt8_Q-a.js")->get_header_value("Cache-Control"),
            "public, max-age=31536000, immutable");
  EXPECT_EQ(c.Get("/assets/logo.png")->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(c.Get("/favicon.ico")->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(c.Get("/favicon.ico")->get_header_value("Content-Type"), "image/x-icon");
}

TEST_F(StaticFilesTest, GzipWhenAcceptedForTextOnly) {
  auto c = Client();
  auto r = c.Get("/assets/index-4f3a2b1c.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(r->get_header_value("Vary"), "Accept-Encoding");
  EXPECT_LT(r->body.size(), script_.size() / 4);
  EXPECT_EQ(Gunzip(tmp_, r->body), script_);
  // Served again from the cache, identically.
  auto again = c.Get("/assets/index-4f3a2b1c.js", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(again->body, r->body);
  // The SPA fallback is compressed too.
  r = c.Get("/some/route", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(Gunzip(tmp_, r->body), index_);

  // Not accepted: identity, still marked as varying.
  for (const char* ae : {"", "identity", "gzip;q=0", "br", "*;q=0"}) {
    httplib::Headers h;
    if (*ae) h.emplace("Accept-Encoding", ae);
    r = c.Get("/assets/index-4f3a2b1c.js", h);
    EXPECT_EQ(r->get_header_value("Content-Encoding"), "") << ae;
    EXPECT_EQ(r->body, script_) << ae;
    EXPECT_EQ(r->get_header_value("Vary"), "Accept-Encoding") << ae;
  }
  // Images are not recompressed.
  r = c.Get("/assets/logo.png", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "");
  EXPECT_EQ(r->body.size(), 3008u);
}

TEST_F(StaticFilesTest, PrecompressedFileIsPreferred) {
  auto c = Client();
  auto r = c.Get("/assets/app-0a1b2c3d.css", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(Gunzip(tmp_, r->body), "/* precompressed */");
  r = c.Get("/assets/app-0a1b2c3d.css");
  EXPECT_EQ(r->body, "body{}" + std::string(2000, ' '));
}

TEST_F(StaticFilesTest, TraversalAndHiddenFilesAreRefused) {
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt",
                           "/assets/../../secret.txt", "/./index.html", "/..%5csecret.txt"}) {
    RawConnection conn(server_->port());
    auto r = conn.Exchange(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(r.status, 400) << path;
    EXPECT_EQ(r.body.find("top secret"), std::string::npos) << path;
    EXPECT_NE(r.body.find("http.bad_path"), std::string::npos) << path << r.body;
  }
  auto c = Client();
  // A symlink out of the root and dot files are simply not there.
  EXPECT_EQ(c.Get("/leak.txt")->status, 404);
  EXPECT_EQ(c.Get("/.env")->status, 404);
  EXPECT_EQ(c.Get("/.env")->body.find("SECRET"), std::string::npos);
}

TEST_F(StaticFilesTest, ConditionalHeadAndMethods) {
  auto c = Client();
  auto r = c.Get("/assets/logo.png");
  std::string etag = r->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto cached = c.Get("/assets/logo.png", {{"If-None-Match", etag}});
  EXPECT_EQ(cached->status, 304);
  EXPECT_EQ(cached->body, "");
  // The gzip encoding is a different representation with its own tag.
  auto gz = c.Get("/index.html", {{"Accept-Encoding", "gzip"}});
  auto plain = c.Get("/index.html");
  EXPECT_NE(gz->get_header_value("ETag"), plain->get_header_value("ETag"));
  EXPECT_EQ(c.Get("/index.html", {{"If-None-Match", plain->get_header_value("ETag")}, {"Accept-Encoding", "gzip"}})
                ->status,
            200);

  auto head = c.Head("/assets/index-4f3a2b1c.js");
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
  EXPECT_EQ(head->get_header_value("Content-Length"), std::to_string(script_.size()));

  auto post = c.Post("/index.html", "x", "text/plain");
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(post->get_header_value("Allow"), "GET, HEAD");
}

TEST_F(StaticFilesTest, ANewReleaseIsPickedUpWithoutRestart) {
  auto c = Client();
  EXPECT_EQ(c.Get("/", {{"Accept-Encoding", "gzip"}})->body.empty(), false);
  std::string v2 = "<!doctype html><title>v2</title>" + std::string(2000, '\n');
  Write(dist_ / "index.html", v2);
  EXPECT_EQ(c.Get("/")->body, v2);
  EXPECT_EQ(Gunzip(tmp_, c.Get("/", {{"Accept-Encoding", "gzip"}})->body), v2);
}

TEST(StaticFilesUnit, AcceptsGzip) {
  EXPECT_TRUE(StaticFiles::AcceptsGzip("gzip"));
  EXPECT_TRUE(StaticFiles::AcceptsGzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(StaticFiles::AcceptsGzip("*"));
  EXPECT_TRUE(StaticFiles::AcceptsGzip("x-gzip"));
  EXPECT_TRUE(StaticFiles::AcceptsGzip("gzip;q=0.001"));
  EXPECT_FALSE(StaticFiles::AcceptsGzip(""));
  EXPECT_FALSE(StaticFiles::AcceptsGzip("br, deflate"));
  EXPECT_FALSE(StaticFiles::AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(StaticFiles::AcceptsGzip("gzip; q=0.000"));
  EXPECT_FALSE(StaticFiles::AcceptsGzip("*, gzip;q=0"));
}

TEST(StaticFilesUnit, MissingRootServesNothing) {
  StaticFiles files("/nonexistent/doudi/dist");
  auto r = files.Get("/", "", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "http.not_found");
}

}  // namespace
}  // namespace doudi::http
