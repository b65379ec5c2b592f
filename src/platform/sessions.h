// Sessions: the server-side record of a login. The client holds a random 32-byte token (base64url, in the
// doudi_session cookie); the database holds only its SHA-256, so a leaked table does not log anyone in.
// Each session also has a CSRF token that the client echoes in the X-CSRF-Token header on mutations.
// AuthService (auth.h) creates and resolves sessions; these are the pieces UsersService shares with it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "db/db.h"
#include "platform/clock.h"
#include "platform/principal.h"

namespace doudi::platform {

struct NewSession {
  int64_t id = 0;
  std::string token;  // give to the client once; never stored
  std::string csrf_token;
};

// The hex SHA-256 under which a session token is stored.
std::string SessionTokenHash(std::string_view token);

// Inserts a session for user_id that expires at `expires_at` at the latest.
Result<NewSession> CreateSession(db::Conn& c, int64_t user_id, std::string_view ip, std::string_view user_agent,
                                 TimePoint now, TimePoint expires_at);

// Ends every session of user_id except `except_session_id` (after a password reset, disabling, ...).
Status RevokeUserSessions(db::Conn& c, int64_t user_id, int64_t except_session_id = 0);

// Whether the X-CSRF-Token header matches the session's token, in constant time; an empty token never matches.
bool CheckCsrf(const Principal& principal, std::string_view header);

}  // namespace doudi::platform
