#pragma once
// A real PostgreSQL for tests: one server per test binary, started on first use by
// tests/support/pg_test_server.sh (initdb in a temp folder, Unix socket only, as "nobody" when
// the tests run as root) and stopped when the binary exits. Each test takes a fresh database.
// Where the server cannot start, available() is false and skip_reason() says why.

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>

#include "support/source_paths.hpp"
#include "support/temp_dir.hpp"

namespace fg::test {

class PgServer {
 public:
  static PgServer& shared() {
    static PgServer server;
    return server;
  }
  ~PgServer() {
    if (!url_.empty()) run_script("stop");
  }

  bool available() const { return !url_.empty(); }
  const std::string& skip_reason() const { return skip_reason_; }
  // The "feedgate" database, for statements that need one (creating the others).
  const std::string& admin_url() const { return url_; }
  std::chrono::milliseconds startup_time() const { return startup_; }

  // The URL of a new, empty database; empty (and the reason in `error`) when it failed.
  std::string create_database(std::string& error) {
    const std::string name = "t" + std::to_string(++databases_);
    if (!exec(url_, "CREATE DATABASE " + name, error)) return {};
    return "postgresql:///" + name + "?host=" + dir_.path().string() + "&user=feedgate";
  }

  // Runs `sql` on the database at `url`; false (and the server's message) on failure.
  static bool exec(const std::string& url, const std::string& sql, std::string& error) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(url.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      error = PQerrorMessage(conn.get());
      return false;
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(conn.get(), sql.c_str()), &PQclear);
    const auto status = PQresultStatus(r.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      error = PQresultErrorMessage(r.get());
      return false;
    }
    return true;
  }

 private:
  PgServer() {
    const auto t0 = std::chrono::steady_clock::now();
    std::string out;
    const int status = run_script("start", &out);
    startup_ = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    if (status == 0 && out.starts_with("postgresql://")) {
      url_ = out;
      std::cerr << "[ pg      ] PostgreSQL test server started in " << startup_.count() << " ms at "
                << dir_.path().string() << "\n";
    } else {
      std::ifstream err(dir_.path() / "script.err");
      std::string why((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
      while (!why.empty() && why.back() == '\n') why.pop_back();
      skip_reason_ = "PostgreSQL test server: tests/support/pg_test_server.sh start exited " +
                     std::to_string(status) + ": " + why;
      std::cerr << "[ pg      ] " << skip_reason_ << "\n";
    }
  }

  // Runs the script with stderr passed through; stdout into `out` when given. Exit status.
  int run_script(const char* command, std::string* out = nullptr) {
    const std::string line = std::string("bash ") + FG_SOURCE_DIR +
                             "/tests/support/pg_test_server.sh " + command + " " +
                             dir_.path().string() + " 2>" + (dir_.path() / "script.err").string();
    FILE* pipe = ::popen(line.c_str(), "r");
    if (pipe == nullptr) return -1;
    char buffer[512];
    std::string text;
    while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) text += buffer;
    const int status = ::pclose(pipe);
    if (out != nullptr) *out = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // Under /tmp, not TMPDIR: the server's user (nobody, as root) must reach it, and the socket's
  // path must stay within the 107 bytes a Unix socket address holds.
  TempDir dir_{"/tmp"};
  std::string url_;
  std::string skip_reason_;
  std::chrono::milliseconds startup_{0};
  std::atomic<int> databases_{0};
};

// A test on a fresh database of the shared server (its URL in url_), skipped with the reason
// where no server can start.
class PgDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PgServer& server = PgServer::shared();
    if (!server.available()) GTEST_SKIP() << server.skip_reason();
    std::string error;
    url_ = server.create_database(error);
    ASSERT_FALSE(url_.empty()) << error;
  }

  std::string url_;
};

}  // namespace fg::test
