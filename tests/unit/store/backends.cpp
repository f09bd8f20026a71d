// The two backends of the conformance suite: a SQLite file in a temp folder, and a fresh
// database on the test binary's PostgreSQL server.

#include "backends.hpp"

#include <sqlite3.h>

#include "support/pg_server.hpp"
#include "support/temp_dir.hpp"

namespace fg::store::testing {

namespace {

class SqliteBackend final : public StoreBackend {
 public:
  Result<std::unique_ptr<Store>> open() override { return open_sqlite_store(db_.path()); }

  bool refuse_inserts_of(const std::string& url) override {
    sqlite3* raw = nullptr;
    bool ok = sqlite3_open(db_.path().c_str(), &raw) == SQLITE_OK;
    const std::string sql = "CREATE TRIGGER refuse BEFORE INSERT ON items WHEN NEW.url = '" + url +
                            "' BEGIN SELECT RAISE(ABORT, 'refused'); END;";
    ok = ok && sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_close(raw);
    return ok;
  }

 private:
  test::TempDb db_;
};

class PostgresBackend final : public StoreBackend {
 public:
  PostgresBackend() {
    test::PgServer& server = test::PgServer::shared();
    if (!server.available()) {
      why_ = server.skip_reason();
      return;
    }
    url_ = server.create_database(why_);
  }

  std::string unavailable() const override { return url_.empty() ? why_ : std::string(); }

  Result<std::unique_ptr<Store>> open() override { return open_postgres_store(url_); }

  bool refuse_inserts_of(const std::string& url) override {
    std::string error;
    const bool ok = test::PgServer::exec(
        url_,
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$"
        " BEGIN RAISE EXCEPTION 'refused'; END $$;"
        "CREATE TRIGGER refuse BEFORE INSERT ON items FOR EACH ROW WHEN (NEW.url = '" +
            url + "') EXECUTE FUNCTION refuse();",
        error);
    EXPECT_TRUE(ok) << error;
    return ok;
  }

 private:
  std::string url_;
  std::string why_;
};

}  // namespace

BackendCase sqlite_backend() {
  return {"sqlite", [] { return std::unique_ptr<StoreBackend>(new SqliteBackend); }};
}

BackendCase postgres_backend() {
  return {"postgres", [] { return std::unique_ptr<StoreBackend>(new PostgresBackend); }};
}

}  // namespace fg::store::testing
