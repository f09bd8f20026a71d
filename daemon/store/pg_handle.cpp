#include "store/pg_handle.hpp"

#include <poll.h>

#include <cerrno>
#include <charconv>

namespace fg::store::detail {

namespace {

// libpq's messages end in a newline (and sometimes carry "ERROR:  " in front of the text).
std::string trimmed(const char* message) {
  std::string out = message != nullptr ? message : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

bool PgResult::ok() const {
  const ExecStatusType status = PQresultStatus(result_.get());
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

bool PgResult::is_null(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string PgResult::text(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  const int length = PQgetlength(result_.get(), row, column);
  if (value == nullptr || length <= 0) return {};
  return std::string(value, static_cast<std::size_t>(length));
}

std::int64_t PgResult::int64(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  const int length = PQgetlength(result_.get(), row, column);
  std::int64_t out = 0;
  if (value != nullptr) std::from_chars(value, value + length, out);
  return out;
}

bool PgResult::boolean(int row, int column) const {
  const char* value = PQgetvalue(result_.get(), row, column);
  return value != nullptr && value[0] == 't';
}

std::string PgResult::error() const {
  if (!result_) return "no answer from PostgreSQL";
  if (ok()) return {};
  if (const char* primary = PQresultErrorField(result_.get(), PG_DIAG_MESSAGE_PRIMARY)) {
    return primary;
  }
  return trimmed(PQresultErrorMessage(result_.get()));
}

std::string PgResult::command_tag() const {
  const char* tag = result_ ? PQcmdStatus(result_.get()) : nullptr;
  return tag != nullptr ? tag : "";
}

std::string PgResult::sqlstate() const {
  const char* state = result_ ? PQresultErrorField(result_.get(), PG_DIAG_SQLSTATE) : nullptr;
  return state != nullptr ? state : "";
}

PgParams& PgParams::add(std::string_view text) {
  values_.emplace_back(std::string(text));
  return *this;
}

PgParams& PgParams::add(std::int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

PgParams& PgParams::add(std::optional<std::int64_t> value) {
  if (!value) {
    values_.emplace_back(std::nullopt);
    return *this;
  }
  return add(*value);
}

PgParams& PgParams::add(bool value) {
  values_.emplace_back(value ? "t" : "f");
  return *this;
}

PgParams& PgParams::add_text_array(const std::vector<std::string>& items) {
  std::string literal = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) literal += ',';
    literal += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  values_.emplace_back(std::move(literal));
  return *this;
}

std::vector<const char*> PgParams::pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) out.push_back(v ? v->c_str() : nullptr);
  return out;
}

Result<PgConnection> PgConnection::connect(const std::string& url, const std::string& password_file,
                                           const std::string& where) {
  // Defaults come before dbname so that the URL's own settings override them; passfile after,
  // because storage.password_file is the config's explicit choice.
  std::vector<const char*> keys = {"connect_timeout", "application_name", "client_encoding",
                                   "dbname"};
  std::vector<const char*> values = {"10", "feedgate", "UTF8", url.c_str()};
  if (!password_file.empty()) {
    keys.push_back("passfile");
    values.push_back(password_file.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PgConnection conn(PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1));
  if (!conn.conn_) {
    return make_error(Errc::storage, "cannot connect to PostgreSQL: out of memory", where);
  }
  // NOTICEs ("relation already exists, skipping") are chatter, not errors: keep stderr clean.
  PQsetNoticeProcessor(
      conn.conn_.get(), [](void*, const char*) {}, nullptr);
  if (conn.broken()) {
    return make_error(Errc::storage,
                      "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(conn.conn_.get())) +
                          "; check storage.url, that the server runs, and the password "
                          "(~/.pgpass, PGPASSFILE or storage.password_file)",
                      where);
  }
  return conn;
}

PgResult PgConnection::exec(const std::string& sql) {
  return PgResult(PQexec(conn_.get(), sql.c_str()));
}

PgResult PgConnection::query(const std::string& sql, const PgParams& params) {
  const auto values = params.pointers();
  return PgResult(PQexecParams(conn_.get(), sql.c_str(), params.size(), nullptr, values.data(),
                               nullptr, nullptr, 0));
}

PgResult PgConnection::prepare(const std::string& name, const std::string& sql) {
  return PgResult(PQprepare(conn_.get(), name.c_str(), sql.c_str(), 0, nullptr));
}

PgResult PgConnection::run(const std::string& name, const PgParams& params) {
  const auto values = params.pointers();
  return PgResult(
      PQexecPrepared(conn_.get(), name.c_str(), params.size(), values.data(), nullptr, nullptr, 0));
}

std::optional<std::vector<std::string>> PgConnection::notifications(int timeout_ms) {
  std::vector<std::string> payloads;
  auto drain = [&] {
    while (PGnotify* n = PQnotifies(conn_.get())) {
      payloads.emplace_back(n->extra);
      PQfreemem(n);
    }
  };
  drain();  // delivered along with an earlier result
  if (!payloads.empty()) return payloads;
  const int fd = PQsocket(conn_.get());
  if (fd < 0 || broken()) return std::nullopt;
  pollfd waiting{fd, POLLIN, 0};
  const int ready = ::poll(&waiting, 1, timeout_ms);
  if (ready < 0) return errno == EINTR ? std::optional(payloads) : std::nullopt;
  if (ready == 0) return payloads;
  if (PQconsumeInput(conn_.get()) == 0 || broken()) return std::nullopt;
  drain();
  return payloads;
}

bool PgConnection::idle() const {
  return !broken() && PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
}

PgTransaction::~PgTransaction() {
  if (open_) conn_.exec("ROLLBACK");
}

PgResult PgTransaction::begin() {
  PgResult r = conn_.exec("BEGIN");
  open_ = r.ok();
  return r;
}

std::string PgTransaction::commit() {
  PgResult r = conn_.exec("COMMIT");
  if (!r.ok()) return r.error();
  open_ = false;
  // COMMIT of a transaction that had failed answers "ROLLBACK", and commits nothing.
  if (r.command_tag() != "COMMIT") return "the transaction was rolled back";
  return {};
}

std::string redact_url(std::string_view url) {
  std::string out(url);
  const std::size_t scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    const std::size_t start = scheme_end + 3;
    const std::size_t end = out.find_first_of("/?", start);
    const std::size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at > start) {
      const std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  const std::size_t password = out.find("password=");
  if (password != std::string::npos) {
    const std::size_t value = password + 9;
    const std::size_t end = out.find_first_of("& ", value);
    out.replace(value, (end == std::string::npos ? out.size() : end) - value, "***");
  }
  return out;
}

}  // namespace fg::store::detail
