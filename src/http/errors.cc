#include "http/errors.h"

#include <nlohmann/json.hpp>

namespace doudi::http {

int HttpStatus(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalid: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kForbidden: return 403;
    case Code::kNotFound: return 404;
    case Code::kConflict: return 409;
    case Code::kTooLarge: return 413;
    case Code::kLocked: return 423;
    case Code::kUnavailable: return 503;
    case Code::kInternal: return 500;
  }
  return 500;
}

std::string InternalErrorMessage(std::string_view request_id) {
  return "服务器内部错误，请联系系统管理员（请求号 " + std::string(request_id) + "）";
}

std::string ErrorBody(const Status& status, std::string_view request_id) {
  nlohmann::json error;
  if (status.code() == Code::kInternal || status.ok()) {
    error = {{"code", "internal"}, {"message", InternalErrorMessage(request_id)}};
  } else {
    nlohmann::json details = nlohmann::json::array();
    for (const auto& d : status.details()) {
      details.push_back({{"field", d.field}, {"code", d.code}, {"message", d.message}});
    }
    error = {{"code", status.error_code()}, {"message", status.message()}, {"details", std::move(details)}};
  }
  nlohmann::json body = {{"error", std::move(error)}, {"request_id", request_id}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace doudi::http
