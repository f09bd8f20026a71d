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

// Name and SQL of every statement the ClusterBook runs (pg_cluster_sql.cpp).
const std::vector<std::pair<const char*, std::string>>& cluster_statements();
namespace cluster_sql {
inline constexpr const char* kAnnounce = "fg_announce";
inline constexpr const char* kHeartbeat = "fg_heartbeat";
inline constexpr const char* kFreeLeases = "fg_free_leases";
inline constexpr const char* kRetire = "fg_retire";
inline constexpr const char* kInstances = "fg_instances";
inline constexpr const char* kSyncLock = "fg_sync_lock";
inline constexpr const char* kUpsertFeeds = "fg_upsert_feeds";
inline constexpr const char* kDropFeeds = "fg_drop_feeds";
inline constexpr const char* kClaimDue = "fg_claim_due";
inline constexpr const char* kRenew = "fg_renew";
inline constexpr const char* kHandBack = "fg_hand_back";
inline constexpr const char* kRelease = "fg_release";
inline constexpr const char* kReleaseAnswered = "fg_release_answered";
inline constexpr const char* kProbeCancelled = "fg_probe_cancelled";
inline constexpr const char* kHostFailed = "fg_host_failed";
inline constexpr const char* kHostTrip = "fg_host_trip";
inline constexpr const char* kPollNow = "fg_poll_now";
inline constexpr const char* kLeases = "fg_leases";
inline constexpr const char* kReserveRequest = "fg_reserve_request";
inline constexpr const char* kNewerConfig = "fg_newer_config";
inline constexpr const char* kItemVersions = "fg_item_versions";
}  // namespace cluster_sql

// Name and SQL of the per-host politeness statements, prepared with them.
const std::vector<std::pair<const char*, std::string>>& host_statements();
namespace host_sql {
inline constexpr const char* kTakeTurn = "fg_take_turn";
inline constexpr const char* kPauseHost = "fg_pause_host";
inline constexpr const char* kHostPaused = "fg_host_paused";
inline constexpr const char* kClaimProbes = "fg_claim_probes";
}  // namespace host_sql

// The channel commit_items notifies when it stored new or changed items; the payload is
// "TAG VERSION FEED_ID", TAG naming the store object that committed, so that its own listener
// skips it, and VERSION the feed's items version (feed_changes) this commit made.
inline constexpr const char* kItemsChannel = "feedgate_items";

// A ClusterBook on `pool`'s connections (the listener opens one of its own to `url`); `tag` is
// the store's own notify tag.
std::unique_ptr<ClusterBook> make_pg_cluster_book(PgPool& pool, std::string where, std::string url,
                                                  std::string password_file, std::string tag);

// A tag unlikely to be any other store object's (random, hex).
std::string new_notify_tag();

}  // namespace fg::store::detail
