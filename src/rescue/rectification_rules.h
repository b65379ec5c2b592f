// The life of a rectification order (整改通知), as pure rules: which follow-up action is allowed in which
// state, and the state after it; and how a deadline reads on a given day.
//
//   open ──submit──▶ submitted ──verify──▶ closed
//     ▲                  │                    │
//     └──── reopened ◀───┴──── reopen ────────┘      (reopened ──submit──▶ submitted ...)
//
// "extend" (a new deadline, with a reason) is allowed while the institution still has to act (open, reopened);
// "note" (a follow-up entry, e.g. a phone call) in any state and changes nothing.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace doudi::rescue {

// The state after `action` in `state`, or Invalid "rescue.rectification.transition" with a Chinese message.
Result<std::string> NextRectificationState(std::string_view state, std::string_view action);
std::string RectificationStateName(std::string_view state);
std::string RectificationActionName(std::string_view action);
// Whether the institution must still act (open or reopened).
bool AwaitsInstitution(std::string_view state);

// How a deadline stands on `today` (both YYYY-MM-DD): "closed" when state is closed, "submitted" while
// awaiting verification, else "overdue" (today after the deadline), "due_soon" (within 3 days), "pending".
std::string DeadlineStatus(std::string_view state, std::string_view deadline, std::string_view today);

}  // namespace doudi::rescue
