#pragma once
// Private to the store: the PostgreSQL ClusterBook (store/cluster.hpp) and its statements,
// prepared on every pooled connection with the store's own.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/cluster.hpp"
#include "store/pg_pool.hpp"

namespace fg::store::detail {

// Name and SQL of every statement the ClusterBook runs.
const std::vector<std::pair<const char*, std::string>>& cluster_statements();

// The channel commit_items notifies (payload: the feed id) when it stored new or changed items.
inline constexpr const char* kItemsChannel = "feedgate_items";

// A ClusterBook on `pool`'s connections (the listener opens one of its own to `url`).
std::unique_ptr<ClusterBook> make_pg_cluster_book(PgPool& pool, std::string where, std::string url,
                                                  std::string password_file);

}  // namespace fg::store::detail
