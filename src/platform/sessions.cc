#include "platform/sessions.h"

#include <sodium.h>

#include "platform/bytes.h"

namespace doudi::platform {

std::string SessionTokenHash(std::string_view token) { return Sha256Hex(token); }

Result<NewSession> CreateSession(db::Conn& c, int64_t user_id, std::string_view ip, std::string_view user_agent,
                                 TimePoint now, TimePoint expires_at) {
  NewSession s;
  s.token = Base64Url(RandomBytes(32));
  s.csrf_token = Base64Url(RandomBytes(32));
  std::string at = FormatUtc(now);
  DOUDI_ASSIGN_OR_RETURN(
      auto rows, c.Query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, "
                         "ip, user_agent, revoked) VALUES ($1, $2, $3, $4, $4, $5, $6, $7, 0) RETURNING id",
                         {SessionTokenHash(s.token), static_cast<long long>(user_id), s.csrf_token, at,
                          FormatUtc(expires_at), ip, user_agent.substr(0, 256)}));
  s.id = rows[0].Int(0);
  return s;
}

Status RevokeUserSessions(db::Conn& c, int64_t user_id, int64_t except_session_id) {
  return c.Exec("UPDATE sessions SET revoked = 1 WHERE user_id = $1 AND id <> $2 AND revoked = 0",
                {static_cast<long long>(user_id), static_cast<long long>(except_session_id)})
      .status();
}

bool CheckCsrf(const Principal& principal, std::string_view header) {
  const std::string& expected = principal.csrf_token;
  if (expected.empty() || header.size() != expected.size()) return false;
  EnsureSodium();
  return sodium_memcmp(expected.data(), header.data(), expected.size()) == 0;
}

}  // namespace doudi::platform
