#include "platform/users.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "common/text.h"
#include "db/sql_builder.h"
#include "platform/password.h"
#include "platform/permissions.h"
#include "platform/roles.h"
#include "platform/sessions.h"
#include "platform/totp.h"

namespace doudi::platform {
namespace {

constexpr char kUserColumns[] =
    "id, username, display_name, role, division_code, phone, totp_enabled, must_change_password, disabled, "
    "failed_logins, locked_until, last_login_at, version, created_at, created_by, updated_at, updated_by";
constexpr int kMaxPageSize = 200;

Status ValidateProfile(const std::string& display_name, const std::string& division, const std::string& phone) {
  if (display_name.empty() || !IsValidUtf8(display_name) || Utf8Length(display_name) > 32) {
    return Status::InvalidField("display_name", "auth.user.display_name",
                                "姓名不能为空，不超过 32 个字，且须为有效的 UTF-8 文本");
  }
  static constexpr size_t kLevels[] = {2, 4, 6, 9, 12};  // province, city, county, township, village
  if (!IsAsciiDigits(division) || std::find(std::begin(kLevels), std::end(kLevels), division.size()) == std::end(kLevels)) {
    return Status::InvalidField("division_code", "auth.user.division",
                                "所属区划应为 2、4、6、9 或 12 位数字的行政区划代码，例如 421003（荆州区）");
  }
  // The scope of every record the account sees follows from this code: it must name a division that exists now.
  DOUDI_RETURN_IF_ERROR(Divisions::Default().CheckCurrent(division, "division_code"));
  bool phone_ok = phone.size() <= 20 && std::all_of(phone.begin(), phone.end(), [](char c) {
                    return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ';
                  });
  if (!phone_ok) return Status::InvalidField("phone", "auth.user.phone", "电话号码只能包含数字、+ 和 -，最多 20 位");
  return Status::Ok();
}

std::string LikeContains(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

std::string Json(std::initializer_list<std::pair<const std::string, nlohmann::json>> fields) {
  // Built key by key: json(fields) would make an array of [key, value] pairs, not an object.
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [key, value] : fields) j[key] = value;
  return j.dump();  // the values were checked to be valid UTF-8
}

}  // namespace

Result<std::string> NormalizeUsername(std::string_view username) {
  std::string u(username);
  for (auto& c : u) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  bool ok = u.size() >= 2 && u.size() <= 32 && u[0] != '.' && u[0] != '-' &&
            std::all_of(u.begin(), u.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
            });
  if (!ok) {
    return Status::InvalidField("username", "auth.user.username",
                                "用户名应由字母、数字、下划线、点或连字符组成（2–32 个字符）");
  }
  return u;
}

Principal SystemActor() {
  Principal p;
  p.user_id = 0;
  p.username = "system";
  p.display_name = "系统（命令行）";
  p.role = "system";
  p.role_name = "系统（命令行）";
  p.scope = ScopeKind::kAll;
  p.permissions = {"user.read", "user.write", "role.read", "role.write"};
  p.ip = "cli";
  return p;
}

UsersService::UsersService(db::Database& db, AuditLog& audit, const Crypto& crypto, RoleDirectory& roles,
                           SessionCache& sessions, PlatformConfig config, Clock clock)
    : db_(db),
      audit_(audit),
      crypto_(crypto),
      roles_(roles),
      sessions_(sessions),
      config_(std::move(config)),
      clock_(std::move(clock)) {}

Result<User> UsersService::Load(db::Conn& c, std::string_view where, const db::Value& key) {
  std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE " + std::string(where) + " = $1";
  DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, {key}));
  if (rows.empty()) return Status::NotFound("auth.user.not_found", "用户不存在");
  const db::Row& r = rows[0];
  User u;
  u.id = r.Int(0);
  u.username = r.Text(1);
  u.display_name = r.Text(2);
  u.role = r.Text(3);
  u.division_code = r.Text(4);
  if (std::string phone = r.Text(5); !phone.empty()) {
    DOUDI_ASSIGN_OR_RETURN(u.phone, crypto_.Decrypt(phone));
  }
  u.totp_enabled = r.Int(6) != 0;
  u.must_change_password = r.Int(7) != 0;
  u.disabled = r.Int(8) != 0;
  u.failed_logins = static_cast<int>(r.Int(9));
  if (auto until = r[10].as_opt_text(); until && *until > FormatUtc(clock_())) u.locked_until = until;
  u.last_login_at = r[11].as_opt_text();
  u.version = r.Int(12);
  u.created_at = r.Text(13);
  u.created_by = r.Int(14);
  u.updated_at = r.Text(15);
  u.updated_by = r.Int(16);
  return u;
}

Result<User> UsersService::WithRoleName(Result<User> u) {
  if (u.ok()) {
    if (auto role = roles_.Find(u->role); role.ok()) u->role_name = (*role)->name;
  }
  return u;
}

Result<User> UsersService::Create(const Principal& actor, const NewUser& in) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.write"));
  DOUDI_ASSIGN_OR_RETURN(std::string username, NormalizeUsername(in.username));
  DOUDI_RETURN_IF_ERROR(ValidateProfile(in.display_name, in.division_code, in.phone));
  auto role = roles_.Find(in.role);
  if (!role.ok()) return Status::InvalidField("role", "access.role.not_found", "角色不存在：" + in.role);
  if ((*role)->is_admin() && !actor.Can("role.write")) {
    return Status::Forbidden("access.separation_of_duties",
                             "三员分立：分配管理员角色（" + (*role)->name + "）需由安全管理员进行");
  }
  DOUDI_RETURN_IF_ERROR(CheckPasswordPolicy(in.password, username));
  DOUDI_ASSIGN_OR_RETURN(std::string hash, HashPassword(in.password, config_.password_cost));
  std::string now = FormatUtc(clock_());
  std::string phone = in.phone.empty() ? "" : crypto_.Encrypt(in.phone);
  Result<User> out = Status::Internal("unreachable");
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto taken, c.Query("SELECT id FROM users WHERE username = $1", {username}));
    if (!taken.empty()) return Status::Conflict("auth.user.exists", "用户名已被使用：" + username);
    DOUDI_ASSIGN_OR_RETURN(
        auto rows,
        c.Query("INSERT INTO users (username, display_name, password_hash, role, division_code, phone, "
                "must_change_password, password_changed_at, version, created_at, created_by, updated_at, updated_by) "
                "VALUES ($1, $2, $3, $4, $5, $6, 1, $7, 1, $7, $8, $7, $8) RETURNING id",
                {username, in.display_name, hash, in.role, in.division_code, phone, now,
                 static_cast<long long>(actor.user_id)}));
    int64_t id = rows[0].Int(0);
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(
        c, AuditEventFor(actor, "user.create", "user", std::to_string(id),
                         Json({{"username", username}, {"role", in.role}, {"division_code", in.division_code}}))));
    out = Load(c, "id", static_cast<long long>(id));
    return out.status();
  }));
  return WithRoleName(std::move(out));
}

Result<User> UsersService::Get(const Principal& actor, int64_t id) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.read"));
  Result<User> out = Status::Internal("unreachable");
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) {
    out = Load(c, "id", static_cast<long long>(id));
    return out.status();
  }));
  return WithRoleName(std::move(out));
}

Result<User> UsersService::GetByUsername(const Principal& actor, std::string_view username) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.read"));
  DOUDI_ASSIGN_OR_RETURN(std::string name, NormalizeUsername(username));
  Result<User> out = Status::Internal("unreachable");
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) {
    out = Load(c, "username", name);
    return out.status();
  }));
  return WithRoleName(std::move(out));
}

Result<std::pair<std::vector<User>, int64_t>> UsersService::List(const Principal& actor, const UserQuery& q) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.read"));
  if (q.page < 1 || q.size < 1 || q.size > kMaxPageSize) {
    return Status::InvalidField("page", "auth.user.page", "分页参数无效：页码从 1 开始，每页 1–200 条");
  }
  std::string where;
  std::vector<db::Value> params;
  auto add = [&](const std::string& condition, db::Value v) {
    params.push_back(std::move(v));
    std::string n = db::Placeholder(params.size());
    std::string c = condition;
    for (size_t pos; (pos = c.find('?')) != std::string::npos;) c.replace(pos, 1, n);
    where += (where.empty() ? " WHERE " : " AND ") + c;
  };
  if (q.text) add("(username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\')", LikeContains(*q.text));
  if (q.role) add("role = ?", *q.role);
  if (q.division_code) add("division_code LIKE ? ESCAPE '\\'", LikeContains(*q.division_code).substr(1));
  if (q.disabled) add("disabled = ?", *q.disabled ? 1 : 0);
  std::pair<std::vector<User>, int64_t> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto total, c.Query("SELECT COUNT(*) FROM users" + where, params));
    out.second = total[0].Int(0);
    std::vector<db::Value> page = params;
    page.emplace_back(q.size);
    page.emplace_back(static_cast<long long>(q.page - 1) * q.size);
    std::string sql = "SELECT id FROM users" + where + " ORDER BY id LIMIT $" + std::to_string(params.size() + 1) +
                      " OFFSET $" + std::to_string(params.size() + 2);
    DOUDI_ASSIGN_OR_RETURN(auto ids, c.Query(sql, page));
    for (const auto& r : ids) {
      DOUDI_ASSIGN_OR_RETURN(User u, Load(c, "id", r.Int(0)));
      out.first.push_back(std::move(u));
    }
    return Status::Ok();
  }));
  for (auto& u : out.first) u = *WithRoleName(std::move(u));
  return out;
}

Status UsersService::RefuseSelf(const Principal& actor, int64_t id) {
  if (actor.user_id != 0 && actor.user_id == id) {
    return Status::Forbidden("auth.user.self", "不能对自己的账号执行此操作，请由其他管理员办理");
  }
  return Status::Ok();
}

Result<User> UsersService::Change(const Principal& actor, int64_t id, int64_t version, const std::string& set,
                                  std::vector<db::Value> params, std::string action, std::string detail,
                                  const std::function<Status(db::Conn&)>& also) {
  params.emplace_back(FormatUtc(clock_()));
  params.emplace_back(static_cast<long long>(actor.user_id));
  params.emplace_back(static_cast<long long>(id));
  params.emplace_back(static_cast<long long>(version));
  size_t n = params.size();
  auto p = [](size_t i) { return db::Placeholder(i); };
  std::string sql = "UPDATE users SET " + set + ", version = version + 1, updated_at = " + p(n - 3) +
                    ", updated_by = " + p(n - 2) + " WHERE id = " + p(n - 1) + " AND version = " + p(n) +
                    " RETURNING id";
  Result<User> out = Status::Internal("unreachable");
  Status written = db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query(sql, params));
    if (rows.empty()) {
      DOUDI_ASSIGN_OR_RETURN(auto exists, c.Query("SELECT 1 FROM users WHERE id = $1", {static_cast<long long>(id)}));
      return exists.empty() ? Status::NotFound("auth.user.not_found", "用户不存在") : db::VersionConflict();
    }
    if (also) DOUDI_RETURN_IF_ERROR(also(c));
    DOUDI_RETURN_IF_ERROR(audit_.AppendIn(c, AuditEventFor(actor, std::move(action), "user", std::to_string(id),
                                                           std::move(detail))));
    out = Load(c, "id", static_cast<long long>(id));
    return out.status();
  });
  // Signed-in sessions of this account see the change on their next request.
  sessions_.Invalidate();
  DOUDI_RETURN_IF_ERROR(written);
  return WithRoleName(std::move(out));
}

Result<User> UsersService::Update(const Principal& actor, int64_t id, const UserChanges& ch, int64_t version) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.write"));
  DOUDI_RETURN_IF_ERROR(ValidateProfile(ch.display_name, ch.division_code, ch.phone));
  std::string phone = ch.phone.empty() ? "" : crypto_.Encrypt(ch.phone);
  return Change(actor, id, version, "display_name = $1, division_code = $2, phone = $3",
                {ch.display_name, ch.division_code, phone}, "user.update",
                Json({{"display_name", ch.display_name}, {"division_code", ch.division_code}}));
}

Result<User> UsersService::Disable(const Principal& actor, int64_t id, int64_t version) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.write"));
  DOUDI_RETURN_IF_ERROR(RefuseSelf(actor, id));
  return Change(actor, id, version, "disabled = $1", {1}, "user.disable", "",
                [&](db::Conn& c) { return RevokeUserSessions(c, id); });
}

Result<User> UsersService::Enable(const Principal& actor, int64_t id, int64_t version) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.write"));
  return Change(actor, id, version, "disabled = $1, failed_logins = 0, locked_until = NULL", {0}, "user.enable", "");
}

Result<User> UsersService::ResetPassword(const Principal& actor, int64_t id, const std::string& password,
                                         int64_t version) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.write"));
  DOUDI_RETURN_IF_ERROR(RefuseSelf(actor, id));
  std::string username;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT username FROM users WHERE id = $1", {static_cast<long long>(id)}));
    if (rows.empty()) return Status::NotFound("auth.user.not_found", "用户不存在");
    username = rows[0].Text(0);
    return Status::Ok();
  }));
  DOUDI_RETURN_IF_ERROR(CheckPasswordPolicy(password, username));
  DOUDI_ASSIGN_OR_RETURN(std::string hash, HashPassword(password, config_.password_cost));
  return Change(actor, id, version,
                "password_hash = $1, must_change_password = 1, password_changed_at = $2, failed_logins = 0, "
                "locked_until = NULL",
                {hash, FormatUtc(clock_())}, "user.reset_password", "",
                [&](db::Conn& c) { return RevokeUserSessions(c, id); });
}

Result<User> UsersService::ResetTotp(const Principal& actor, int64_t id, int64_t version) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.write"));
  DOUDI_RETURN_IF_ERROR(RefuseSelf(actor, id));
  return Change(actor, id, version, "totp_secret = NULL, totp_enabled = $1", {0}, "user.reset_totp", "",
                [&](db::Conn& c) { return RevokeUserSessions(c, id); });
}

Result<std::string> UsersService::SetupTotp(const Principal& actor, int64_t id, const std::string& base32_secret) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "user.write"));
  std::string secret = base32_secret.empty() ? GenerateTotpSecret() : base32_secret;
  if (!Base32Decode(secret).ok()) {
    return Status::InvalidField("totp_secret", "auth.totp.secret", "动态口令密钥应为 Base32 编码");
  }
  DOUDI_ASSIGN_OR_RETURN(auto user, Get(actor, id));
  DOUDI_RETURN_IF_ERROR(Change(actor, id, user.version, "totp_secret = $1, totp_enabled = $2",
                               {crypto_.Encrypt(secret), 1}, "user.setup_totp", "")
                            .status());
  return secret;
}

Result<User> UsersService::SetRole(const Principal& actor, int64_t id, const std::string& role, int64_t version) {
  DOUDI_RETURN_IF_ERROR(Require(actor, "role.write"));
  DOUDI_RETURN_IF_ERROR(RefuseSelf(actor, id));
  auto found = roles_.Find(role);
  if (!found.ok()) return Status::InvalidField("role", "access.role.not_found", "角色不存在：" + role);
  return Change(actor, id, version, "role = $1", {role}, "user.set_role", Json({{"role", role}}));
}

}  // namespace doudi::platform
