#pragma once
// What several instances sharing one PostgreSQL store coordinate through it: each feed's
// schedule and lease, the instances alive, and per-host politeness. Only the PostgreSQL store has
// a ClusterBook (Store::cluster()); SQLite is one process, whose scheduler keeps all this in
// memory. Times are the database's clock, so instances on machines whose clocks disagree still
// agree on who holds what.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace fg::store {

using std::chrono::milliseconds;

// One running feedgate, as it announces itself.
struct InstanceInfo {
  std::string id;       // unique per process (host, port, pid and a random part)
  std::string address;  // where it serves, as it believes ("host:port")
  std::string version;
  std::string config_hash;  // of the config file it uses
  Timestamp started{};
  Timestamp heartbeat{};  // read back only
  bool alive = false;     // read back only: a heartbeat within `alive_within`
  // The config file's modification time: the newest config is the one written last (see
  // ClusterBook::sync_feeds_if_newest).
  Timestamp config_time{};
};

// A feed the cluster polls, as the config states it.
struct ScheduledFeed {
  std::string feed_id;
  std::string host;  // politeness and the circuit breaker; empty: none (file:)
  milliseconds interval{15 * 60'000};
};

// A feed due now or soon, claimed by one instance until its lease expires.
struct Claim {
  std::string feed_id;
  int failures = 0;  // consecutive failures before this poll
  // How long past its due time, on the database's clock; negative when claimed ahead of it.
  milliseconds late{0};
  std::string taken_from;  // the instance whose lease had expired; empty when none held it
};

// How a claimed poll ended, for the feed's next due time and its host's breaker.
struct Release {
  milliseconds next_in{0};          // the feed is due again this long from now
  int failures = 0;                 // consecutive failures including this poll
  bool connection_failure = false;  // counts towards the host's breaker
  milliseconds retry_after{0};      // > 0: the host asked (Retry-After) to be left alone so long
  // false: the poll was cancelled (a stop) before the host answered. It neither closes the
  // breaker nor counts towards it; a half-open host's probe passes to the next claim.
  bool reached_host = true;
};

// The cluster-wide circuit breaker of a host: after `threshold` consecutive connection failures
// (from any instance) its feeds are not claimed for `cooldown`. Then it is half-open: one
// instance polls one of its feeds (the probe) while the others wait; a success closes it for
// all, a connection failure opens it again at once, the cooldown doubled per re-trip.
struct HostBreaker {
  int threshold = 5;
  milliseconds cooldown{60'000};
  milliseconds max_cooldown{3600'000};
};

// A request's turn at a host, cluster-wide (take_turn).
struct RequestTurn {
  milliseconds wait{0};     // until the start reserved for it; 0: now
  milliseconds paused{0};   // > 0: the host is paused this long (nothing was reserved)
  int instances_alive = 1;  // instances sharing the host's politeness, at least 1
};

// One feed's row, for the status page and /metrics.
struct FeedLease {
  std::string feed_id;
  std::optional<Timestamp> next_due;
  std::string holder;  // empty when no lease is held
  std::optional<Timestamp> lease_expiry;
  std::string last_polled_by;
  std::optional<Timestamp> last_polled_at;
  int failures = 0;
};

// A feed's items version: bumped by every commit that changed its items, from any instance.
struct ItemsVersion {
  std::string feed_id;
  std::int64_t version = 0;
  bool mine = false;  // the latest change was committed through the store asking
};

// Tells another thread which feeds got new items, as committed by any other instance (PostgreSQL
// LISTEN/NOTIFY on one connection of its own). Commits through the store that opened the listener
// are left out: that instance rendered them already.
class ItemsListener {
 public:
  virtual ~ItemsListener() = default;
  // Waits up to `timeout` for notifications; the feeds notified with the version each commit
  // made (empty on timeout). An error means the connection is lost and notifications may have
  // been missed: open a new listener and re-read everything.
  virtual Result<std::vector<ItemsVersion>> wait(milliseconds timeout) = 0;
};

class ClusterBook {
 public:
  virtual ~ClusterBook() = default;

  // Records (or refreshes) this instance with a heartbeat now.
  virtual Result<void> announce(const InstanceInfo& self) = 0;
  // A heartbeat; false when the row is gone (another instance retired it): announce again.
  virtual Result<bool> heartbeat(const std::string& instance_id) = 0;
  // Removes the instance and frees its leases (their feeds stay due when they were): a clean
  // stop hands its feeds over at once instead of after a lease.
  virtual Result<void> retire(const std::string& instance_id) = 0;
  // Every recorded instance, `alive` when its last heartbeat is within `alive_within`.
  virtual Result<std::vector<InstanceInfo>> instances(milliseconds alive_within) = 0;

  // Makes the schedule hold exactly `feeds`: new ones become due spread over `spread` from now,
  // changed hosts and intervals are updated (a due time is kept), others are removed. Every
  // instance reads the same config, so whichever syncs last writes the same rows.
  virtual Result<void> sync_feeds(const std::vector<ScheduledFeed>& feeds, milliseconds spread) = 0;
  // As sync_feeds, unless a live instance (a heartbeat within `alive_within`) has a newer config
  // than `instance_id` (announced already): then nothing changes and that instance is returned.
  // Newer: a later config_time, or the same time and a greater hash (one of two configs written
  // the same second wins, whichever it is). The check and the write are one transaction under
  // the sync lock, so an older instance syncing concurrently never writes after a newer one.
  virtual Result<std::optional<InstanceInfo>> sync_feeds_if_newest(
      const std::string& instance_id, const std::vector<ScheduledFeed>& feeds, milliseconds spread,
      milliseconds alive_within) = 0;
  // In one statement: up to `limit` feeds due now or within `ahead`, leased to `instance_id`
  // for `lease` (from now: keep `ahead` well under it), earliest due first. A feed leased by
  // another instance is skipped until its lease expires, and a feed whose host breaker is open
  // until it closes. Each due feed is claimed by one instance only.
  virtual Result<std::vector<Claim>> claim_due(const std::string& instance_id, int limit,
                                               milliseconds lease, milliseconds ahead) = 0;
  // Extends the leases `instance_id` still holds among `feed_ids`; returns those it holds.
  virtual Result<std::vector<std::string>> renew(const std::string& instance_id,
                                                 const std::vector<std::string>& feed_ids,
                                                 milliseconds lease) = 0;
  // Frees the leases `instance_id` holds among `feed_ids` and changes nothing else: claimed
  // ahead and never polled, they are due when they were, for any instance.
  virtual Result<void> hand_back(const std::string& instance_id,
                                 const std::vector<std::string>& feed_ids) = 0;
  // Ends a claimed poll: frees the lease, sets the next due time, records who polled and updates
  // the host's breaker. False (and nothing changed) when the lease is no longer this instance's.
  virtual Result<bool> release(const std::string& instance_id, const std::string& feed_id,
                               const Release& outcome, const HostBreaker& breaker) = 0;
  // Makes the feed due now (a lease held stays held).
  virtual Result<void> poll_now(const std::string& feed_id) = 0;
  // Every scheduled feed's row, by feed id.
  virtual Result<std::vector<FeedLease>> leases() = 0;

  // Reserves the next request slot to `host`, at least `min_gap` after the previous reservation
  // by any instance; returns how long the caller waits before sending.
  virtual Result<milliseconds> reserve_request(const std::string& host, milliseconds min_gap) = 0;
  // As reserve_request, unless the host is paused (Retry-After, or its breaker open): then
  // nothing is reserved and `paused` says for how long. Also counts the instances whose
  // heartbeat is within `alive_within`, among whom the host's per_host is shared.
  virtual Result<RequestTurn> take_turn(const std::string& host, milliseconds min_gap,
                                        milliseconds alive_within) = 0;
  // How long the host stays paused (Retry-After, or its breaker open); 0 when it is not.
  virtual Result<milliseconds> host_paused(const std::string& host) = 0;
  // The host asked (Retry-After) to be left alone for `wait`: no instance claims its feeds or
  // takes a turn at it until then. A later pause wins over an earlier one.
  virtual Result<void> pause_host(const std::string& host, milliseconds wait) = 0;

  // A listener for the feeds whose items any instance commits from now on.
  virtual Result<std::unique_ptr<ItemsListener>> listen_items() = 0;
  // Every feed's items version (feeds never changed have none): one cheap read, for the
  // periodic check that catches notifications lost on the way.
  virtual Result<std::vector<ItemsVersion>> item_versions() = 0;
};

}  // namespace fg::store
