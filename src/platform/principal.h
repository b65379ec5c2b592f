// Principal: who is making a request — the signed-in user, their role's permissions and data scope.
//
// Permissions are "resource.action" strings (e.g. "registry.person.read", "pii.reveal", "audit.read").
// The data scope limits which records the user sees: kAll (the whole city, managers), kDivision (records whose
// division code starts with division_prefix: a county "421003", a township "421003001"), or kOwn (records the
// user created). The rule, failing closed, is in platform/data_scope.h.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>

namespace doudi::platform {

enum class ScopeKind { kAll, kDivision, kOwn };

struct Principal {
  int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::string role;           // role code, e.g. "caseworker"
  std::string role_name;      // Chinese role name for display
  std::string division_code;  // the user's own division ("4210", "421003", "421003001")
  ScopeKind scope = ScopeKind::kOwn;
  std::unordered_set<std::string> permissions;
  bool must_change_password = false;
  // A role that requires two-factor login (or totp_required_for_all) without TOTP enrolled yet: the session
  // holds no permissions until the user enrols (auth routes that need no permission still work).
  bool must_enroll_totp = false;
  std::string session_id;  // id of the server-side session (not the token)
  std::string csrf_token;
  // Of the current request, set by the http layer (or the CLI) so that services can write audit rows.
  std::string ip;
  std::string request_id;

  bool Can(const std::string& permission) const { return permissions.count(permission) > 0; }
  // Whether a record in `division` created by `created_by` is inside this principal's data scope
  // (platform/data_scope.h holds the rule; a division scope without a division sees nothing).
  bool InScope(const std::string& division, int64_t created_by) const;
};

}  // namespace doudi::platform
