// Error responses: how a Status becomes an HTTP status and the JSON error body every client sees.
//
//   {"error":{"code":"registry.id_number.check_digit","message":"中文","details":[{"field","code","message"}]},
//    "request_id":"..."}
//
// A kInternal status may carry driver text or SQL, so its body says only "internal" and the request id; the
// caller logs the real status under that id.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace doudi::http {

// The HTTP status for a Status code (kOk -> 200).
int HttpStatus(Code code);

// The JSON error body for a non-ok status.
std::string ErrorBody(const Status& status, std::string_view request_id);

// The generic message of an internal error, naming the request id the administrator can look up in the log.
std::string InternalErrorMessage(std::string_view request_id);

}  // namespace doudi::http
