// The session cookie: how the session token travels between the browser and the server.
//
// Set as `doudi_session=<token>; HttpOnly; SameSite=Strict; Path=/` (plus `Secure` when served over HTTPS): the
// page's scripts cannot read it, and no other site can make the browser send it. The token is opaque here;
// the platform's AuthService creates and checks it. Auth routes call these helpers on their Response.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/status.h"
#include "http/router.h"

namespace doudi::http {

inline constexpr std::string_view kSessionCookieName = "doudi_session";

// Adds the Set-Cookie header that starts a browser session. The token must be cookie-safe (e.g. base64url);
// anything else is an internal error rather than a header injection.
Status SetSessionCookie(Response& response, std::string_view token, bool secure);

// Adds the Set-Cookie header that makes the browser forget the session (logout, expired session).
void ClearSessionCookie(Response& response, bool secure);

// The value of cookie `name` from the request's Cookie header(s) (lower-case header names); "" if absent.
std::string CookieValue(const std::multimap<std::string, std::string>& headers, std::string_view name);

}  // namespace doudi::http
