#include "emulator/store/store.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

#include "emulator/crypto/hash.h"

namespace cogemu::store {
namespace {

constexpr const char* kTableNames[] = {"meta",       "user_pools",     "clients",  "pool_clients",
                                       "users",      "user_subs",      "user_aliases", "pool_keys",
                                       "refresh_tokens", "sessions",   "outbox",       "pool_views",
                                       "groups",     "group_members", "user_groups", "user_search",
                                       "devices",    "session_expiry",
                                       // identity pools (cognito-identity)
                                       "identity_pools", "identities", "pool_identities",
                                       "identity_logins", "issued_credentials"};
static_assert(std::size(kTableNames) == static_cast<size_t>(Table::kCount));

constexpr size_t kMaxKey = 511;

void Check(int rc, const char* what) {
  if (rc != MDB_SUCCESS) throw StoreError(std::string(what) + ": " + mdb_strerror(rc));
}

MDB_val Val(std::string_view s) {
  return MDB_val{s.size(), const_cast<char*>(s.data())};
}

std::string_view View(const MDB_val& v) {
  return std::string_view(static_cast<const char*>(v.mv_data), v.mv_size);
}

}  // namespace

Env::Env(const EnvOptions& options) : path_(options.path), durable_(options.durable) {
  std::error_code ec;
  std::filesystem::create_directories(path_, ec);
  if (ec) throw StoreError("cannot create data directory " + path_ + ": " + ec.message());
  Check(mdb_env_create(&env_), "mdb_env_create");
  try {
    Check(mdb_env_set_maxdbs(env_, static_cast<MDB_dbi>(Table::kCount) + 4), "mdb_env_set_maxdbs");
    Check(mdb_env_set_mapsize(env_, options.map_size), "mdb_env_set_mapsize");
    Check(mdb_env_set_maxreaders(env_, 256), "mdb_env_set_maxreaders");
    unsigned flags = MDB_NOTLS;
    if (!options.durable) flags |= MDB_NOSYNC;
    Check(mdb_env_open(env_, path_.c_str(), flags, 0644), "mdb_env_open");
    int dead = 0;
    mdb_reader_check(env_, &dead);
    MDB_txn* txn = nullptr;
    Check(mdb_txn_begin(env_, nullptr, 0, &txn), "mdb_txn_begin");
    for (int i = 0; i < static_cast<int>(Table::kCount); ++i) {
      int rc = mdb_dbi_open(txn, kTableNames[i], MDB_CREATE, &dbis_[i]);
      if (rc != MDB_SUCCESS) {
        mdb_txn_abort(txn);
        Check(rc, "mdb_dbi_open");
      }
    }
    Check(mdb_txn_commit(txn), "mdb_txn_commit");
  } catch (...) {
    mdb_env_close(env_);
    env_ = nullptr;
    throw;
  }
}

Env::~Env() {
  if (env_) mdb_env_close(env_);
}

void Env::Clear() {
  MDB_txn* raw = nullptr;
  Check(mdb_txn_begin(env_, nullptr, 0, &raw), "mdb_txn_begin");
  for (int i = 0; i < static_cast<int>(Table::kCount); ++i) {
    int rc = mdb_drop(raw, dbis_[i], 0);
    if (rc != MDB_SUCCESS) {
      mdb_txn_abort(raw);
      Check(rc, "mdb_drop");
    }
  }
  Check(mdb_txn_commit(raw), "mdb_txn_commit");
}

size_t Env::Snapshot::entries() const {
  size_t n = 0;
  for (const auto& t : tables) n += t.size();
  return n;
}

std::shared_ptr<const Env::Snapshot> Env::TakeSnapshot() {
  auto snap = std::make_shared<Snapshot>();
  Txn txn(*this, Txn::Mode::kRead);
  for (int i = 0; i < static_cast<int>(Table::kCount); ++i) {
    auto& out = snap->tables[static_cast<size_t>(i)];
    txn.Scan(static_cast<Table>(i), "", std::nullopt, [&](std::string_view k, std::string_view v) {
      out.emplace_back(std::string(k), std::string(v));
      return true;
    });
  }
  return snap;
}

void Env::Restore(const Snapshot& snapshot) {
  MDB_txn* raw = nullptr;
  Check(mdb_txn_begin(env_, nullptr, 0, &raw), "mdb_txn_begin");
  for (int i = 0; i < static_cast<int>(Table::kCount); ++i) {
    int rc = mdb_drop(raw, dbis_[i], 0);
    // Entries are in key order, so appending is both valid and fast.
    for (const auto& [k, v] : snapshot.tables[static_cast<size_t>(i)]) {
      if (rc != MDB_SUCCESS) break;
      MDB_val key = Val(k), val = Val(v);
      rc = mdb_put(raw, dbis_[i], &key, &val, MDB_APPEND);
    }
    if (rc != MDB_SUCCESS) {
      mdb_txn_abort(raw);
      Check(rc, "restore");
    }
  }
  Check(mdb_txn_commit(raw), "mdb_txn_commit");
}

Txn::Txn(Env& env, Mode mode) : env_(env), mode_(mode) {
  Check(mdb_txn_begin(env_.raw(), nullptr, mode == Mode::kWrite ? 0 : MDB_RDONLY, &txn_), "mdb_txn_begin");
}

Txn::Txn(Env& env, Txn& parent) : env_(env), mode_(Mode::kWrite) {
  Check(mdb_txn_begin(env_.raw(), parent.txn_, 0, &txn_), "mdb_txn_begin (nested)");
}

Txn::~Txn() {
  if (txn_) mdb_txn_abort(txn_);
}

void Txn::Commit() {
  MDB_txn* t = txn_;
  txn_ = nullptr;
  if (mode_ != Mode::kWrite) {
    mdb_txn_abort(t);
    return;
  }
  Check(mdb_txn_commit(t), "mdb_txn_commit");
}

std::optional<std::string_view> Txn::Get(Table t, std::string_view key) const {
  MDB_val k = Val(key), v;
  int rc = mdb_get(txn_, env_.dbi(t), &k, &v);
  if (rc == MDB_NOTFOUND) return std::nullopt;
  Check(rc, "mdb_get");
  return View(v);
}

void Txn::Put(Table t, std::string_view key, std::string_view value) {
  if (mode_ == Mode::kSpeculative) throw SpeculativeWrite{};
  MDB_val k = Val(key), v = Val(value);
  Check(mdb_put(txn_, env_.dbi(t), &k, &v, 0), "mdb_put");
}

bool Txn::Insert(Table t, std::string_view key, std::string_view value) {
  if (mode_ == Mode::kSpeculative) throw SpeculativeWrite{};
  MDB_val k = Val(key), v = Val(value);
  int rc = mdb_put(txn_, env_.dbi(t), &k, &v, MDB_NOOVERWRITE);
  if (rc == MDB_KEYEXIST) return false;
  Check(rc, "mdb_put");
  return true;
}

bool Txn::Del(Table t, std::string_view key) {
  if (mode_ == Mode::kSpeculative) throw SpeculativeWrite{};
  MDB_val k = Val(key);
  int rc = mdb_del(txn_, env_.dbi(t), &k, nullptr);
  if (rc == MDB_NOTFOUND) return false;
  Check(rc, "mdb_del");
  return true;
}

std::optional<nlohmann::json> Txn::GetJson(Table t, std::string_view key) const {
  auto raw = Get(t, key);
  if (!raw) return std::nullopt;
  return nlohmann::json::from_msgpack(raw->begin(), raw->end());
}

void Txn::PutJson(Table t, std::string_view key, const nlohmann::json& value) {
  std::vector<uint8_t> bytes = nlohmann::json::to_msgpack(value);
  Put(t, key, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

namespace {

// RAII cursor.
class Cursor {
 public:
  Cursor(MDB_txn* txn, MDB_dbi dbi) { Check(mdb_cursor_open(txn, dbi, &cursor_), "cursor"); }
  ~Cursor() { mdb_cursor_close(cursor_); }
  MDB_cursor* get() { return cursor_; }

 private:
  MDB_cursor* cursor_ = nullptr;
};

}  // namespace

void Txn::Scan(Table t, std::string_view prefix, std::optional<std::string_view> after,
               const Visitor& visit) const {
  Cursor cursor(txn_, env_.dbi(t));
  std::string start(after && *after > prefix ? *after : prefix);
  MDB_val k = Val(start), v;
  // LMDB refuses an empty key for SET_RANGE; an empty start means "from the first key".
  int rc = mdb_cursor_get(cursor.get(), &k, &v, start.empty() ? MDB_FIRST : MDB_SET_RANGE);
  // Skip the `after` key itself.
  if (rc == MDB_SUCCESS && after && View(k) == *after) {
    rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT);
  }
  while (rc == MDB_SUCCESS) {
    std::string_view key = View(k);
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!visit(key, View(v))) return;
    rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT);
  }
  if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) Check(rc, "cursor scan");
}

size_t Txn::Count(Table t, std::string_view prefix) const {
  size_t n = 0;
  Scan(t, prefix, std::nullopt, [&](std::string_view, std::string_view) {
    ++n;
    return true;
  });
  return n;
}

size_t Txn::DelPrefix(Table t, std::string_view prefix) {
  std::vector<std::string> doomed;
  Scan(t, prefix, std::nullopt, [&](std::string_view key, std::string_view) {
    doomed.emplace_back(key);
    return true;
  });
  for (const auto& key : doomed) Del(t, key);
  return doomed.size();
}

namespace keys {

std::string Tuple(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) {
    for (char c : part) {
      if (c == '\0') {
        out += '\x01';
        out += '\x01';
      } else if (c == '\x01') {
        out += '\x01';
        out += '\x02';
      } else {
        out += c;
      }
    }
    out += '\0';
  }
  if (out.size() > kMaxKey) {
    std::string digest = crypto::Sha256(out);
    out.resize(kMaxKey - digest.size());
    out += digest;
  }
  return out;
}

std::vector<std::string> Split(std::string_view key) {
  std::vector<std::string> parts;
  std::string cur;
  for (size_t i = 0; i < key.size(); ++i) {
    char c = key[i];
    if (c == '\0') {
      parts.push_back(std::move(cur));
      cur.clear();
    } else if (c == '\x01' && i + 1 < key.size()) {
      cur += key[++i] == '\x01' ? '\0' : '\x01';
    } else {
      cur += c;
    }
  }
  return parts;
}

std::string U64(uint64_t value) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  return out;
}

uint64_t ReadU64(std::string_view bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < bytes.size(); ++i) v = (v << 8) | static_cast<uint8_t>(bytes[i]);
  return v;
}

}  // namespace keys
}  // namespace cogemu::store
