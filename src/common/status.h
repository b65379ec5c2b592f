// Status and Result<T>: how every layer reports an expected failure.
//
// A Status carries a category (Code, which HTTP maps to a status code), a stable machine code such as
// "registry.id_number.check_digit" that clients and tests match on, a Chinese message fit for a caseworker,
// and optional per-field errors. Exceptions are not used across module boundaries; a Result<T> is either a
// value or a non-ok Status.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace doudi {

enum class Code {
  kOk = 0,
  kInvalid,          // 400: the request or input is malformed or breaks a rule
  kUnauthenticated,  // 401: no valid session
  kForbidden,        // 403: authenticated, but the role may not do this
  kNotFound,         // 404: does not exist, or is outside the caller's data scope
  kConflict,         // 409: optimistic-lock conflict or duplicate
  kTooLarge,         // 413: body or file over the limit
  kLocked,           // 423: account locked
  kUnavailable,      // 503: database or dependency unreachable
  kInternal,         // 500: a bug or an unexpected failure; details go to the log, never to the client
};

// One field's problem, for forms and imports ("row 12, field id_number: check digit wrong").
struct FieldError {
  std::string field;
  std::string code;
  std::string message;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string error_code, std::string message)
      : code_(code), error_code_(std::move(error_code)), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status Invalid(std::string error_code, std::string message) {
    return Status(Code::kInvalid, std::move(error_code), std::move(message));
  }
  // A single-field validation failure: the field is also recorded in details().
  static Status InvalidField(std::string field, std::string error_code, std::string message) {
    Status s(Code::kInvalid, error_code, message);
    s.details_.push_back({std::move(field), std::move(error_code), std::move(message)});
    return s;
  }
  static Status NotFound(std::string error_code, std::string message) {
    return Status(Code::kNotFound, std::move(error_code), std::move(message));
  }
  static Status Conflict(std::string error_code, std::string message) {
    return Status(Code::kConflict, std::move(error_code), std::move(message));
  }
  static Status Forbidden(std::string error_code, std::string message) {
    return Status(Code::kForbidden, std::move(error_code), std::move(message));
  }
  static Status Unauthenticated(std::string error_code, std::string message) {
    return Status(Code::kUnauthenticated, std::move(error_code), std::move(message));
  }
  static Status Internal(std::string message) { return Status(Code::kInternal, "internal", std::move(message)); }
  static Status Unavailable(std::string error_code, std::string message) {
    return Status(Code::kUnavailable, std::move(error_code), std::move(message));
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& error_code() const { return error_code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& details() const { return details_; }
  Status& add_detail(FieldError e) {
    details_.push_back(std::move(e));
    return *this;
  }
  // "code: message" for logs and test failures.
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string error_code_;
  std::string message_;
  std::vector<FieldError> details_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like absl::StatusOr
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace doudi

#define DOUDI_CONCAT_INNER(a, b) a##b
#define DOUDI_CONCAT(a, b) DOUDI_CONCAT_INNER(a, b)

// Returns the Status from the enclosing function if expr is not ok.
#define DOUDI_RETURN_IF_ERROR(expr)                  \
  do {                                               \
    ::doudi::Status doudi_status_ = (expr);          \
    if (!doudi_status_.ok()) return doudi_status_;   \
  } while (0)

// DOUDI_ASSIGN_OR_RETURN(auto x, F()); : declares x from a Result or returns its Status.
#define DOUDI_ASSIGN_OR_RETURN(lhs, expr) \
  DOUDI_ASSIGN_OR_RETURN_IMPL(DOUDI_CONCAT(doudi_result_, __LINE__), lhs, expr)
#define DOUDI_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
