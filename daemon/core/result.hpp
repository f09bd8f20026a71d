#pragma once
// One result type for the whole project: a value or an Error{code, message, where}.

#include <string>
#include <utility>
#include <variant>

namespace fg {

enum class Errc {
  invalid_argument,  // caller passed something malformed
  not_found,         // a file, feed or element that does not exist
  io,                // local file or socket failure
  network,           // DNS, connect, TLS, reset
  timeout,           // a deadline passed
  http_status,       // the server answered with a non-success status
  too_large,         // a size limit was exceeded
  charset,           // bytes could not be decoded
  parse,             // text that does not follow its grammar (date, selector, HTML, YAML)
  config,            // configuration problem
  storage,           // database failure
  unsupported,       // a scheme, format or feature we do not handle
};

// Human-readable name of an error code, e.g. "timeout".
const char* errc_name(Errc code);

struct Error {
  Errc code = Errc::invalid_argument;
  std::string message;  // what went wrong, and what to do where that is known
  std::string where;    // the place: a URL, FILE:LINE:COL, a feed id; may be empty

  // "where: message" (or just the message when where is empty).
  std::string describe() const;
};

// Either a T or an Error. Access value() only when ok().
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

// Shorthand for building an Error in a return statement.
inline Error make_error(Errc code, std::string message, std::string where = {}) {
  return Error{code, std::move(message), std::move(where)};
}

}  // namespace fg
