#pragma once
// The store conformance suite runs every case against each backend (SQLite, PostgreSQL), so the
// two cannot drift. A suite derives from StoreTest and is instantiated with FG_STORE_BACKENDS.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.hpp"

namespace fg::store::testing {

// One test's store location on one backend.
class StoreBackend {
 public:
  virtual ~StoreBackend() = default;
  // Empty when the backend runs here; else why not (its cases are then skipped).
  virtual std::string unavailable() const { return {}; }
  // Opens the test's store; opened again after the last one is gone, it holds the same data.
  virtual Result<std::unique_ptr<Store>> open() = 0;
  // From outside the store, makes the database refuse to insert an item with this URL.
  virtual bool refuse_inserts_of(const std::string& url) = 0;
};

struct BackendCase {
  const char* name;
  std::unique_ptr<StoreBackend> (*make)();
};

BackendCase sqlite_backend();
BackendCase postgres_backend();

class StoreTest : public ::testing::TestWithParam<BackendCase> {
 protected:
  void SetUp() override {
    backend_ = GetParam().make();
    if (const std::string why = backend_->unavailable(); !why.empty()) GTEST_SKIP() << why;
  }

  // The test's store, or null (with a failure recorded) when it cannot be opened.
  std::unique_ptr<Store> open_ok() {
    auto store = backend_->open();
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : store.error().describe());
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::unique_ptr<StoreBackend> backend_;
};

}  // namespace fg::store::testing

#define FG_STORE_BACKENDS(Suite)                                                    \
  INSTANTIATE_TEST_SUITE_P(                                                         \
      Backends, Suite,                                                              \
      ::testing::Values(::fg::store::testing::sqlite_backend(),                     \
                        ::fg::store::testing::postgres_backend()),                  \
      [](const ::testing::TestParamInfo<::fg::store::testing::BackendCase>& info) { \
        return std::string(info.param.name);                                        \
      })
