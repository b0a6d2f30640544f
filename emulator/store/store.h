// The persistent store: one LMDB environment, a fixed set of named tables (DBIs) opened at
// start-up, and RAII transactions. A request runs in exactly one Txn; a Txn that is destroyed
// without Commit() aborts, so an exception anywhere leaves no partial write.
//
// Key layout (every key is a tuple encoded by keys::Tuple, order-preserving):
//   kMeta         (name)                       -> value                  store format, counters
//   kUserPools    (pool_id)                    -> msgpack pool record
//   kClients      (client_id)                  -> msgpack client record (holds pool_id)
//   kPoolClients  (pool_id, client_id)         -> ""                     index: clients of a pool
//   kUsers        (pool_id, username_key)      -> msgpack user record (see idp/users.h)
//   kUserSubs     (pool_id, sub)               -> username_key           unique index
//   kUserAliases  (pool_id, attribute, value_key) -> username_key        unique index: email or
//                 phone_number used as username, verified email/phone aliases, preferred_username
//   kPoolKeys     (pool_id)                    -> msgpack {"id": PEM, "access": PEM} signing keys
//   kRefreshTokens(SHA-256 of token)           -> msgpack refresh-token record
//   kSessions     (SHA-256 of session bytes)   -> msgpack auth-challenge session record
//                 (see idp/auth_sessions.h)
//   kSessionExpiry(expires 8-byte BE, session hash) -> ""           index: sessions by expiry
//   kOutbox       (8-byte big-endian sequence) -> msgpack message "sent" to a user
//   kPoolViews    (pool_id)                    -> JSON text of the pool's UserPoolType, kept
//                 beside the record so DescribeUserPool answers without decoding it
//   kGroups       (pool_id, group_name)        -> msgpack GroupType
//   kGroupMembers (pool_id, group_name, username_key) -> ""            index: users of a group
//   kUserGroups   (pool_id, username_key, group_name) -> ""            index: groups of a user
//   kUserSearch   (pool_id, attribute, value, username_key) -> username_key  index: ListUsers
//                 filters (see idp/users.h UserSearchIndex)
//   kDevices      (pool_id, username_key, device_key) -> msgpack device record (idp/devices.h)
// Identity pools (cognito-identity; layouts in identity/records.h):
//   kIdentityPools    (identity_pool_id)                 -> msgpack identity pool record
//   kIdentities       (identity_id)                      -> msgpack identity record
//   kPoolIdentities   (identity_pool_id, identity_id)    -> ""          index: identities of a pool
//   kIdentityLogins   (identity_pool_id, provider, subject) -> identity_id   unique index
//   kIssuedCredentials(identity_id, sequence)       -> msgpack record of issued credentials
// Records are nlohmann::json values serialised as MessagePack.
#pragma once

#include <lmdb.h>

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace cogemu::store {

enum class Table : int {
  kMeta = 0,
  kUserPools,
  kClients,
  kPoolClients,
  kUsers,
  kUserSubs,
  kUserAliases,
  kPoolKeys,
  kRefreshTokens,
  kSessions,
  kOutbox,
  kPoolViews,
  kGroups,
  kGroupMembers,
  kUserGroups,
  kUserSearch,  // ListUsers' attribute index
  kDevices,
  kSessionExpiry,
  // identity pools (cognito-identity)
  kIdentityPools,
  kIdentities,
  kPoolIdentities,
  kIdentityLogins,
  kIssuedCredentials,
  kCount,  // keep last
};

// Raised for store failures that are not the caller's fault (disk full, map full, ...).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct EnvOptions {
  std::string path;                      // a directory; created if missing
  bool durable = true;                   // fsync every commit; false for ephemeral stores
  size_t map_size = size_t{32} << 30;    // address space reserved (sparse), 32 GiB
};

class Env {
 public:
  explicit Env(const EnvOptions& options);
  ~Env();
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  MDB_env* raw() const { return env_; }
  MDB_dbi dbi(Table t) const { return dbis_[static_cast<int>(t)]; }
  const std::string& path() const { return path_; }
  bool durable() const { return durable_; }

  // Empties every table in one write transaction.
  void Clear();

  // Every table's entries, in key order: a point-in-time copy (a read transaction).
  struct Snapshot {
    std::array<std::vector<std::pair<std::string, std::string>>, static_cast<int>(Table::kCount)> tables;
    size_t entries() const;
  };
  std::shared_ptr<const Snapshot> TakeSnapshot();
  // Replaces the whole state with `snapshot` in one write transaction.
  void Restore(const Snapshot& snapshot);

 private:
  MDB_env* env_ = nullptr;
  std::array<MDB_dbi, static_cast<int>(Table::kCount)> dbis_{};
  std::string path_;
  bool durable_ = true;
};

// Thrown by a write to a kSpeculative transaction: the work must be redone in a write one.
// Deliberately not a std::exception, so no catch-all of store errors mistakes it for one.
struct SpeculativeWrite {};

class Txn {
 public:
  // kSpeculative: a read transaction that stands in for a write one until the first write,
  // which throws SpeculativeWrite (api/dispatch.cc runs work that may need slow computation in
  // one first, so that the write lock is not held twice).
  enum class Mode { kRead, kWrite, kSpeculative };
  Txn(Env& env, Mode mode);
  // A nested write transaction inside `parent` (which must be writable and is unusable until
  // this one ends): Commit() folds its writes into the parent, destruction discards them.
  Txn(Env& env, Txn& parent);
  ~Txn();  // aborts unless committed
  Txn(const Txn&) = delete;
  Txn& operator=(const Txn&) = delete;

  bool writable() const { return mode_ == Mode::kWrite; }
  void Commit();

  // Raw bytes. The view is valid until the transaction ends or the next write.
  std::optional<std::string_view> Get(Table t, std::string_view key) const;
  void Put(Table t, std::string_view key, std::string_view value);
  // Fails with false if the key exists already (unique index insert).
  bool Insert(Table t, std::string_view key, std::string_view value);
  bool Del(Table t, std::string_view key);
  bool Has(Table t, std::string_view key) const { return Get(t, key).has_value(); }

  // JSON records (MessagePack on disk).
  std::optional<nlohmann::json> GetJson(Table t, std::string_view key) const;
  void PutJson(Table t, std::string_view key, const nlohmann::json& value);

  // Visits keys that start with `prefix`, in key order, starting strictly after `after` when
  // given. The visitor returns false to stop.
  using Visitor = std::function<bool(std::string_view key, std::string_view value)>;
  void Scan(Table t, std::string_view prefix, std::optional<std::string_view> after,
            const Visitor& visit) const;
  // Number of entries under `prefix` (walks them).
  size_t Count(Table t, std::string_view prefix) const;
  // Deletes every key under `prefix`; returns how many.
  size_t DelPrefix(Table t, std::string_view prefix);

 private:
  Env& env_;
  MDB_txn* txn_ = nullptr;
  Mode mode_;
};

namespace keys {

// Order-preserving tuple encoding: each component's bytes with 0x00 -> 01 01 and
// 0x01 -> 01 02, followed by a 0x00 terminator, so (a, b) sorts like a then b and a
// component's prefix scan never leaks into a longer sibling. Keys longer than LMDB's
// 511-byte limit keep a 447-byte prefix plus a SHA-256 of the whole key.
std::string Tuple(std::initializer_list<std::string_view> parts);
// A prefix matching every key whose first components are `parts`.
inline std::string Prefix(std::initializer_list<std::string_view> parts) { return Tuple(parts); }
// Decodes the components of a key made by Tuple (not for hashed long keys).
std::vector<std::string> Split(std::string_view key);
// 8-byte big-endian encoding of an unsigned integer (sorts numerically).
std::string U64(uint64_t value);
uint64_t ReadU64(std::string_view bytes);

}  // namespace keys

}  // namespace cogemu::store
