#pragma once
// Private to the store: the statements the PostgreSQL store runs, prepared once on every pooled
// connection, and how one row reads back into the store's types.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "store/pg_handle.hpp"
#include "store/store.hpp"

namespace fg::store::detail {

// Names of the prepared statements (see pg_statements.cpp for their SQL and parameters).
namespace pg {
inline constexpr const char* kKnownUrls = "fg_known_urls";
inline constexpr const char* kItemHashes = "fg_item_hashes";
inline constexpr const char* kLockFeed = "fg_lock_feed";
inline constexpr const char* kInsertItem = "fg_insert_item";
inline constexpr const char* kUpdateItem = "fg_update_item";
inline constexpr const char* kLastSeq = "fg_last_seq";
inline constexpr const char* kTrimItems = "fg_trim_items";
inline constexpr const char* kNewestItems = "fg_newest_items";
inline constexpr const char* kItemsBySeq = "fg_items_by_seq";
inline constexpr const char* kSeqRange = "fg_seq_range";
inline constexpr const char* kCountItems = "fg_count_items";
inline constexpr const char* kRecordPoll = "fg_record_poll";
inline constexpr const char* kLastPoll = "fg_last_poll";
inline constexpr const char* kLastFailure = "fg_last_failure";
inline constexpr const char* kLastSuccess = "fg_last_success";
inline constexpr const char* kRecentPolls = "fg_recent_polls";
inline constexpr const char* kValidators = "fg_validators";
inline constexpr const char* kSaveValidators = "fg_save_validators";
inline constexpr const char* kNotifyItems = "fg_notify_items";
inline constexpr const char* kBumpItemsVersion = "fg_bump_items_version";
inline constexpr const char* kSaveSubscription = "fg_save_subscription";
inline constexpr const char* kRemoveSubscription = "fg_remove_subscription";
inline constexpr const char* kSubscriptions = "fg_subscriptions";
inline constexpr const char* kExpireSubscriptions = "fg_expire_subscriptions";
}  // namespace pg

// Session settings (statement_timeout) and every statement above, on a new connection.
Result<void> set_up_connection(PgConnection& conn, std::chrono::milliseconds statement_timeout,
                               const std::string& where);

// Parameters $1..$15 of kInsertItem / kUpdateItem (kInsertItem adds $16, the seq).
PgParams item_params(const std::string& feed_id, const Article& a, const std::string& hash,
                     Timestamp now);

// A row of kNewestItems / kItemsBySeq; a row of the poll selects.
StoredItem read_pg_item(const PgResult& r, int row);
PollRecord read_pg_poll(const PgResult& r, int row);

std::int64_t epoch_seconds(Timestamp t);
Timestamp from_epoch_seconds(std::int64_t s);

}  // namespace fg::store::detail
