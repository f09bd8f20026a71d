#include "core/result.hpp"

namespace fg {

const char* errc_name(Errc code) {
  switch (code) {
    case Errc::invalid_argument:
      return "invalid argument";
    case Errc::not_found:
      return "not found";
    case Errc::io:
      return "i/o error";
    case Errc::network:
      return "network error";
    case Errc::timeout:
      return "timeout";
    case Errc::http_status:
      return "http status";
    case Errc::too_large:
      return "too large";
    case Errc::charset:
      return "charset error";
    case Errc::parse:
      return "parse error";
    case Errc::config:
      return "config error";
    case Errc::storage:
      return "storage error";
    case Errc::unsupported:
      return "unsupported";
  }
  return "error";
}

std::string Error::describe() const {
  if (where.empty()) return message;
  return where + ": " + message;
}

}  // namespace fg
