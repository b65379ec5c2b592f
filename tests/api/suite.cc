#include "suite.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "db/db.h"
#include "platform/session_cache.h"

namespace doudi::testing {

namespace {
std::atomic<int> counter{0};

bool IsAdminRole(const std::string& role) {
  return role == "sysadmin" || role == "secadmin" || role == "auditadmin";
}
}  // namespace

bool PostgresAvailable() {
  const char* pg = std::getenv("DOUDI_TEST_PG_URL");
  return pg && *pg;
}

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "sqlite" : "postgres";
}

std::unique_ptr<ServerSlot> StartServer(Backend backend, const std::map<std::string, std::string>& env) {
  auto slot = std::make_unique<ServerSlot>();
  slot->backend = backend;
  if (backend == Backend::kPostgres && !PostgresAvailable()) {
    slot->skip = true;
    slot->problem = "DOUDI_TEST_PG_URL is not set";
    return slot;
  }
  std::string why;
  slot->server = TestServer::Start(backend, &why, env);
  if (!slot->server) slot->problem = "the server did not start: " + why;
  return slot;
}

std::string UniqueName(std::string_view prefix) {
  return std::string(prefix.substr(0, 20)) + "_" + std::to_string(++counter);
}

Account SignIn(TestServer& server, const std::string& role, const std::string& division) {
  Account a;
  a.role = role;
  a.division = division;
  a.username = UniqueName(role);
  a.client = ApiClient(server.port());
  std::string initial;
  try {
    initial = server.AddUser(a.username, role, division, &a.totp_secret);
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
    return a;
  }
  if (IsAdminRole(role) && a.totp_secret.empty()) {
    ADD_FAILURE() << "`doudi user add --role " << role << "` printed no line \"TOTP secret: ...\"";
    return a;
  }
  a.password = StrongPassword(static_cast<int>(std::hash<std::string>{}(a.username) % 1000) + 1000);
  HttpResult r = a.client.Login(a.username, initial, a.totp_secret, a.password);
  if (r.status != 200) {
    ADD_FAILURE() << "sign-in of " << a.username << " (" << role << ") failed: " << r.status << " " << r.body;
    return a;
  }
  auto me = r.json();
  if (me.value("/user/must_change_password"_json_pointer, true)) {
    ADD_FAILURE() << "after the forced password change, must_change_password is still set: " << r.body;
    return a;
  }
  a.id = me.value("/user/id"_json_pointer, int64_t{0});
  a.ok = true;
  return a;
}

char IdCheck(std::string_view first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return "10X98765432"[sum % 11];
}

namespace {
// n as `width` digits with leading zeros (n >= 0).
std::string Digits(int n, size_t width) {
  std::string s = std::to_string(n);
  return s.size() >= width ? s : std::string(width - s.size(), '0') + s;
}
}  // namespace

std::string IdNumber(std::string_view area, std::string_view birth, int seq) {
  std::string first17 = std::string(area) + std::string(birth) + Digits(seq % 1000, 3);
  return first17 + IdCheck(first17);
}

std::string NewIdNumber(std::string_view area, int sex) {
  static std::atomic<int> n{0};
  int k = n++;
  int year = 1950 + (k / (500 * 336)) % 45;
  int day_index = (k / 500) % 336;
  int seq = (k % 500) * 2 + (sex == 1 ? 1 : 0);
  return IdNumber(area, Digits(year, 4) + Digits(1 + day_index / 28, 2) + Digits(1 + day_index % 28, 2), seq);
}

std::string NewPhone() {
  static std::atomic<int> n{0};
  return "139" + Digits(10000000 + n++ % 90000000, 8);
}

std::string MaskedId(std::string_view id) {
  return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') + std::string(id.substr(id.size() - 4));
}

std::string MaskedPhone(std::string_view phone) {
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

bool HasChinese(std::string_view s) {
  for (size_t i = 0; i + 2 < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xF0) == 0xE0) {
      uint32_t cp = ((c & 0x0F) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
                    (static_cast<unsigned char>(s[i + 2]) & 0x3F);
      if (cp >= 0x4E00 && cp <= 0x9FFF) return true;
    }
  }
  return false;
}

::testing::AssertionResult IsOk(const HttpResult& r) {
  if (r.status >= 200 && r.status < 300) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "HTTP " << r.status << " " << r.body.substr(0, 2000);
}

::testing::AssertionResult IsError(const HttpResult& r, int status, std::string_view code, std::string_view field) {
  auto fail = [&]() { return ::testing::AssertionFailure() << "HTTP " << r.status << " " << r.body.substr(0, 2000) << ": "; };
  if (r.status != status) return fail() << "expected HTTP " << status;
  auto j = r.json();
  if (!j.is_object() || !j.contains("error") || !j["error"].is_object()) return fail() << "no error object";
  const auto& e = j["error"];
  if (code == kAnyCode ? e.value("code", "").empty() : e.value("code", "") != code) {
    return fail() << "expected error.code " << code;
  }
  if (!e.contains("message") || !e["message"].is_string() || !HasChinese(e["message"].get<std::string>())) {
    return fail() << "error.message is not a Chinese text";
  }
  if (!j.contains("request_id") || !j["request_id"].is_string() || j["request_id"].get<std::string>().empty()) {
    return fail() << "no request_id";
  }
  auto h = r.headers.find("x-request-id");
  if (h == r.headers.end() || h->second != j["request_id"].get<std::string>()) {
    return fail() << "request_id differs from the X-Request-Id header";
  }
  if (!field.empty()) {
    bool found = false;
    if (e.contains("details") && e["details"].is_array()) {
      for (const auto& d : e["details"]) {
        if (d.is_object() && d.value("field", "") == field) {
          found = true;
          if (!d.contains("message") || !d["message"].is_string() || !HasChinese(d["message"].get<std::string>())) {
            return fail() << "the detail of " << field << " has no Chinese message";
          }
          if (d.value("code", "").empty()) return fail() << "the detail of " << field << " has no code";
        }
      }
    }
    if (!found) return fail() << "no error.details entry with field " << field;
  }
  return ::testing::AssertionSuccess();
}

nlohmann::json PersonBody(const std::string& name, const std::string& division, const std::string& id_number,
                          const std::string& phone) {
  nlohmann::json j = {{"name", name}, {"division_code", division}};
  if (!id_number.empty()) j["id_number"] = id_number;
  if (!phone.empty()) j["phone"] = phone;
  return j;
}

nlohmann::json PersonOf(const HttpResult& r) {
  auto j = r.json();
  if (j.is_object() && j.contains("person") && j["person"].is_object()) return j["person"];
  return j;
}

int64_t CreatePerson(ApiClient& client, const nlohmann::json& body) {
  HttpResult r = client.Post("/api/v1/registry/persons", body);
  if (!IsOk(r)) {
    ADD_FAILURE() << "creating a person failed: " << r.status << " " << r.body;
    return 0;
  }
  auto p = PersonOf(r);
  int64_t id = p.is_object() && p.contains("id") && p["id"].is_number_integer() ? p["id"].get<int64_t>() : 0;
  if (id <= 0) ADD_FAILURE() << "the created person has no id: " << r.body;
  return id;
}

int64_t CountPersons(ApiClient& client, const std::string& name) {
  HttpResult r = client.Get("/api/v1/registry/persons?name=" + Url(name) + "&size=1");
  if (r.status != 200) return -1;
  return r.json().value("total", int64_t{-1});
}

std::string RawHttp(int port, const std::string& request, std::chrono::seconds timeout) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    size_t sent = 0;
    while (sent < request.size()) {
      ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;  // the server may answer and close before reading everything
      sent += static_cast<size_t>(n);
    }
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buf[8192];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return out;
}

int RawStatus(const std::string& response) {
  if (!response.starts_with("HTTP/1.")) return 0;
  size_t sp = response.find(' ');
  return sp == std::string::npos ? 0 : std::atoi(response.c_str() + sp + 1);
}

std::string RawBody(const std::string& response) {
  size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

std::string Url(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

void WaitOutSessionCache() {
  std::this_thread::sleep_for(platform::SessionCache::kDefaultMaxAge + std::chrono::milliseconds(100));
}

Status ExecSql(const TestServer& server, const std::string& sql) {
  DOUDI_ASSIGN_OR_RETURN(auto db, db::Database::Open(server.db_url()));
  return db->Write([&](db::Conn& c) { return c.ExecScript(sql); });
}

Result<int64_t> QueryInt(const TestServer& server, const std::string& sql) {
  DOUDI_ASSIGN_OR_RETURN(auto db, db::Database::Open(server.db_url()));
  int64_t out = 0;
  DOUDI_RETURN_IF_ERROR(db->Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql));
    if (rows.empty()) return Status::NotFound("test.no_row", "no row");
    out = rows[0].Int(0);
    return Status::Ok();
  }));
  return out;
}

std::string UtcText(std::chrono::seconds offset) {
  std::time_t t = std::time(nullptr) + offset.count();
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

}  // namespace doudi::testing
