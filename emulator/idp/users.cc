#include "emulator/idp/users.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "emulator/api/error.h"
#include "emulator/crypto/hash.h"
#include "emulator/crypto/password.h"
#include "emulator/crypto/srp.h"
#include "emulator/idp/devices.h"
#include "emulator/idp/groups.h"
#include "emulator/idp/rules/usernames.h"

namespace cogemu::idp {
namespace {

using store::Table;
namespace keys = store::keys;

std::string PoolId(const json& pool) { return pool["Id"].get<std::string>(); }

bool Contains(const json& list, std::string_view value) {
  if (!list.is_array()) return false;
  return std::any_of(list.begin(), list.end(), [&](const json& v) { return v == value; });
}

std::string Attr(const json& record, const char* name) {
  const json& attrs = record["Attributes"];
  auto it = attrs.find(name);
  return it != attrs.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string CounterKey(const std::string& pool_id) { return keys::Tuple({"users", pool_id}); }

void AddToCounter(api::Context& ctx, const std::string& pool_id, int64_t delta) {
  const std::string key = CounterKey(pool_id);
  uint64_t n = 0;
  if (auto raw = ctx.txn.Get(Table::kMeta, key)) n = keys::ReadU64(*raw);
  n = static_cast<uint64_t>(std::max<int64_t>(0, static_cast<int64_t>(n) + delta));
  ctx.txn.Put(Table::kMeta, key, keys::U64(n));
}

// ---- the ListUsers search index (see users.h) ----

std::string_view Truncated(std::string_view value) {
  if (value.size() <= kSearchValueBytes) return value;
  size_t n = kSearchValueBytes;
  while (n > 0 && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;  // a UTF-8 boundary
  return value.substr(0, n);
}

// The normalised form of `value` that filters on `attribute` compare.
std::string SearchValue(const json& pool, std::string_view attribute, std::string_view value) {
  if (attribute == "username") return UserKey(pool, value);
  if (attribute == "sub" || attribute == "status") return std::string(value);
  return rules::ToLowerUtf8(value);
}

// The record's normalised value for a searchable attribute; nullopt when the user has none.
std::optional<std::string> RecordSearchValue(const json& pool, const json& record, std::string_view attribute) {
  std::string raw;
  if (attribute == "username") {
    raw = record.value("Username", "");
  } else if (attribute == "status") {
    raw = record.value("Enabled", true) ? "Enabled" : "Disabled";
  } else if (attribute == "cognito:user_status") {
    raw = record.value("UserStatus", "");
  } else {
    raw = Attr(record, std::string(attribute).c_str());
  }
  if (raw.empty()) return std::nullopt;
  return SearchValue(pool, attribute, raw);
}

// The attributes kUserSearch holds (username and sub have their own tables).
constexpr const char* kSearchIndexAttributes[] = {
    "email", "phone_number", "name", "given_name", "family_name", "preferred_username", "cognito:user_status",
    "status"};

struct IndexEntry {
  Table table;
  std::string key;
  std::string attribute;  // for alias entries: which attribute
};

// Every index entry a user record implies. The one place indexes are derived.
std::vector<IndexEntry> IndexEntries(const json& pool, const UserRef& user) {
  const std::string pool_id = PoolId(pool);
  const bool cs = PoolCaseSensitive(pool);
  std::vector<IndexEntry> out;
  out.push_back({Table::kUserSubs, keys::Tuple({pool_id, Attr(user.record, "sub")}), "sub"});
  const json username_attrs = pool.value("UsernameAttributes", json::array());
  const json alias_attrs = pool.value("AliasAttributes", json::array());
  for (const char* name : {"email", "phone_number"}) {
    const std::string value = Attr(user.record, name);
    if (value.empty()) continue;
    const std::string verified_name = std::string(name) + "_verified";
    const bool verified = Attr(user.record, verified_name.c_str()) == "true";
    if (Contains(username_attrs, name) || (Contains(alias_attrs, name) && verified)) {
      out.push_back({Table::kUserAliases, keys::Tuple({pool_id, name, rules::UsernameKey(value, cs)}), name});
    }
  }
  if (Contains(alias_attrs, "preferred_username")) {
    const std::string value = Attr(user.record, "preferred_username");
    if (!value.empty()) {
      out.push_back({Table::kUserAliases,
                     keys::Tuple({pool_id, "preferred_username", rules::UsernameKey(value, cs)}),
                     "preferred_username"});
    }
  }
  for (const char* name : kSearchIndexAttributes) {
    if (auto value = RecordSearchValue(pool, user.record, name)) {
      out.push_back({Table::kUserSearch, keys::Tuple({pool_id, name, Truncated(*value), user.key}), "search"});
    }
  }
  return out;
}

std::optional<UserRef> Load(const store::Txn& txn, const std::string& pool_id, const std::string& key) {
  auto record = txn.GetJson(Table::kUsers, keys::Tuple({pool_id, key}));
  if (!record) return std::nullopt;
  return UserRef{key, std::move(*record)};
}

std::optional<UserRef> FindByAlias(const store::Txn& txn, const json& pool, std::string_view name) {
  const std::string pool_id = PoolId(pool);
  const std::string value_key = rules::UsernameKey(name, PoolCaseSensitive(pool));
  for (const char* attr : {"email", "phone_number", "preferred_username"}) {
    if (auto key = txn.Get(Table::kUserAliases, keys::Tuple({pool_id, attr, value_key}))) {
      return Load(txn, pool_id, std::string(*key));
    }
  }
  return std::nullopt;
}

}  // namespace

bool PoolCaseSensitive(const json& pool) {
  auto it = pool.find("UsernameConfiguration");
  if (it == pool.end() || !it->is_object()) return true;
  return it->value("CaseSensitive", true);
}

bool PoolUsesUsernameAttributes(const json& pool) {
  auto it = pool.find("UsernameAttributes");
  return it != pool.end() && it->is_array() && !it->empty();
}

std::string UserKey(const json& pool, std::string_view username) {
  return rules::UsernameKey(username, PoolCaseSensitive(pool));
}

std::optional<UserRef> FindUserByUsername(const store::Txn& txn, const json& pool, std::string_view username) {
  return Load(txn, PoolId(pool), UserKey(pool, username));
}

std::optional<UserRef> FindUserForSignIn(const store::Txn& txn, const json& pool, std::string_view name) {
  if (auto user = FindUserByUsername(txn, pool, name)) return user;
  return FindByAlias(txn, pool, name);
}

std::optional<UserRef> FindUserBySub(const store::Txn& txn, const std::string& pool_id, std::string_view sub) {
  auto key = txn.Get(Table::kUserSubs, keys::Tuple({pool_id, sub}));
  if (!key) return std::nullopt;
  return Load(txn, pool_id, std::string(*key));
}

std::optional<UserRef> FindUserByAny(const store::Txn& txn, const json& pool, std::string_view name) {
  if (auto user = FindUserForSignIn(txn, pool, name)) return user;
  return FindUserBySub(txn, PoolId(pool), name);
}

UserRef RequireUserByAny(const api::Context& ctx, const json& pool, std::string_view name) {
  auto user = FindUserByAny(ctx.txn, pool, name);
  if (!user) throw errors::UserNotFound();
  return *user;
}

void PutUser(api::Context& ctx, const json& pool, const UserRef& user, const json* previous) {
  const std::string pool_id = PoolId(pool);
  if (!previous) {
    if (ctx.txn.Has(Table::kUsers, keys::Tuple({pool_id, user.key}))) {
      throw ApiError("UsernameExistsException", "User already exists");
    }
    AddToCounter(ctx, pool_id, 1);
  }
  std::vector<IndexEntry> old_entries;
  if (previous) old_entries = IndexEntries(pool, UserRef{user.key, *previous});
  std::vector<IndexEntry> new_entries = IndexEntries(pool, user);
  auto in = [](const std::vector<IndexEntry>& list, const IndexEntry& e) {
    return std::any_of(list.begin(), list.end(),
                       [&](const IndexEntry& o) { return o.table == e.table && o.key == e.key; });
  };
  for (const auto& e : old_entries) {
    if (!in(new_entries, e)) ctx.txn.Del(e.table, e.key);
  }
  const bool username_attrs = PoolUsesUsernameAttributes(pool);
  for (const auto& e : new_entries) {
    if (in(old_entries, e)) continue;
    if (!ctx.txn.Insert(e.table, e.key, user.key)) {
      auto owner = ctx.txn.Get(e.table, e.key);
      if (owner && *owner == user.key) continue;
      if (e.attribute == "sub") throw errors::Internal("Duplicate sub.");
      if (username_attrs && e.attribute != "preferred_username") {
        throw ApiError("UsernameExistsException",
                       "An account with the given " + e.attribute + " already exists.");
      }
      const std::string shown = e.attribute == "phone_number" ? "phone number" : e.attribute;
      throw ApiError("AliasExistsException", "An account with the " + shown + " already exists.");
    }
  }
  ctx.txn.PutJson(Table::kUsers, keys::Tuple({pool_id, user.key}), user.record);
}

void DeleteUser(api::Context& ctx, const json& pool, const UserRef& user) {
  const std::string pool_id = PoolId(pool);
  for (const auto& e : IndexEntries(pool, user)) {
    auto owner = ctx.txn.Get(e.table, e.key);
    if (owner && *owner == user.key) ctx.txn.Del(e.table, e.key);
  }
  DeleteUserMemberships(ctx, pool_id, user.key);
  DeleteUserDevices(ctx, pool_id, user.key);
  if (ctx.txn.Del(Table::kUsers, keys::Tuple({pool_id, user.key}))) AddToCounter(ctx, pool_id, -1);
}

void DeletePoolUsers(api::Context& ctx, const std::string& pool_id) {
  ctx.txn.DelPrefix(Table::kUsers, keys::Prefix({pool_id}));
  ctx.txn.DelPrefix(Table::kUserSubs, keys::Prefix({pool_id}));
  ctx.txn.DelPrefix(Table::kUserAliases, keys::Prefix({pool_id}));
  ctx.txn.DelPrefix(Table::kUserSearch, keys::Prefix({pool_id}));
  DeletePoolGroups(ctx, pool_id);
  DeletePoolDevices(ctx, pool_id);
  ctx.txn.Del(Table::kMeta, CounterKey(pool_id));
}

uint64_t CountUsers(const store::Txn& txn, const std::string& pool_id) {
  auto raw = txn.Get(Table::kMeta, CounterKey(pool_id));
  return raw ? keys::ReadU64(*raw) : 0;
}

UserRef NewUser(const api::Context& ctx, const json& pool, const std::string& name, json attributes,
                const std::string& sub) {
  const std::string username = PoolUsesUsernameAttributes(pool) ? sub : name;
  attributes["sub"] = sub;
  const double now = ctx.now();
  return UserRef{UserKey(pool, username), json{{"Username", username},
                                               {"Attributes", std::move(attributes)},
                                               {"Enabled", true},
                                               {"UserCreateDate", now},
                                               {"UserLastModifiedDate", now}}};
}

void SetPassword(api::Context& ctx, const json& pool, json& record, std::string_view password) {
  const std::string pool_id = PoolId(pool);
  const std::string pool_name = pool_id.substr(pool_id.find('_') + 1);
  const std::string username = record["Username"];
  const std::string salt = ctx.random.Bytes(16);
  const std::string srp_salt = ctx.random.Bytes(16);
  const int iterations = ctx.config.password_iterations;
  const std::string pw(password);
  // Both derivations are slow (PBKDF2 rounds, a 3072-bit exponentiation): outside the write lock.
  const std::string derived = ctx.Slow("password", {pool_name, username, pw, salt, srp_salt, std::to_string(iterations)}, [=] {
    const crypto::PasswordHash hash = crypto::HashPasswordWithSalt(pw, salt, iterations);
    const std::string v = crypto::srp::Verifier(srp_salt, crypto::srp::PasswordInner(pool_name, username, pw));
    return json{{"hash", hash.ToJson()}, {"verifier", crypto::srp::ToHex(v)}}.dump();
  });
  const json parsed = json::parse(derived);
  record["Password"] = parsed["hash"];
  record["Srp"] = {{"salt", crypto::HexEncode(srp_salt)}, {"verifier", parsed["verifier"]}};
}

std::optional<json> SrpFromLegacyInner(const json& srp) {
  if (!srp.is_object() || !srp.contains("inner") || !srp["inner"].is_string() || !srp.contains("salt") ||
      !srp["salt"].is_string()) {
    return std::nullopt;
  }
  auto inner = crypto::Base64Decode(srp["inner"].get<std::string>());
  auto salt = crypto::srp::FromHex(srp["salt"].get<std::string>());
  if (!inner || inner->size() != 32 || !salt) return std::nullopt;
  return json{{"salt", srp["salt"]}, {"verifier", crypto::srp::ToHex(crypto::srp::Verifier(*salt, *inner))}};
}

size_t MigrateLegacySrp(store::Env& env) {
  // Read every user still holding the SRP input, derive the verifiers on all cores, then write
  // them in one transaction (the store has no other writer at start-up).
  std::vector<std::pair<std::string, json>> pending;  // (key, record)
  {
    store::Txn txn(env, store::Txn::Mode::kRead);
    txn.Scan(Table::kUsers, "", std::nullopt, [&](std::string_view key, std::string_view value) {
      json record = json::from_msgpack(value.begin(), value.end());
      if (record.contains("Srp") && record["Srp"].is_object() && record["Srp"].contains("inner")) {
        pending.emplace_back(std::string(key), std::move(record));
      }
      return true;
    });
  }
  if (pending.empty()) return 0;
  const size_t threads = std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), 8));
  std::vector<std::thread> workers;
  std::atomic<size_t> next{0};
  for (size_t t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (size_t i = next++; i < pending.size(); i = next++) {
        json& record = pending[i].second;
        if (auto srp = SrpFromLegacyInner(record["Srp"])) {
          record["Srp"] = *srp;
        } else {
          record.erase("Srp");  // unusable: SRP sign-in fails for this user until a new password
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  store::Txn txn(env, store::Txn::Mode::kWrite);
  for (const auto& [key, record] : pending) txn.PutJson(Table::kUsers, key, record);
  txn.Commit();
  return pending.size();
}

json AttributeList(const json& record, const json* readable) {
  json out = json::array();
  const json& attrs = record["Attributes"];
  auto allowed = [&](const std::string& name) {
    if (!readable || !readable->is_array()) return true;
    return name == "sub" || Contains(*readable, name);
  };
  if (attrs.contains("sub")) out.push_back({{"Name", "sub"}, {"Value", attrs["sub"]}});
  for (auto it = attrs.begin(); it != attrs.end(); ++it) {
    if (it.key() == "sub" || !allowed(it.key())) continue;
    out.push_back({{"Name", it.key()}, {"Value", it.value()}});
  }
  return out;
}

json UserType(const json& record) {
  return {{"Username", record["Username"]},
          {"Attributes", AttributeList(record)},
          {"UserCreateDate", record["UserCreateDate"]},
          {"UserLastModifiedDate", record["UserLastModifiedDate"]},
          {"Enabled", record.value("Enabled", true)},
          {"UserStatus", record["UserStatus"]}};
}

void SearchUsers(const store::Txn& txn, const json& pool, const std::optional<rules::UserFilter>& filter,
                 const std::optional<std::string>& after, const UserSearchVisitor& visit) {
  const std::string pool_id = PoolId(pool);
  std::optional<std::string_view> from;
  if (after) from = *after;
  if (!filter) {
    txn.Scan(Table::kUsers, keys::Prefix({pool_id}), from, [&](std::string_view key, std::string_view value) {
      return visit(key, json::from_msgpack(value.begin(), value.end()));
    });
    return;
  }
  const std::string& attribute = filter->attribute;
  const std::string wanted = SearchValue(pool, attribute, filter->value);
  const std::string_view indexed = Truncated(wanted);
  Table table = Table::kUserSearch;
  std::string prefix;
  if (attribute == "username") {
    table = Table::kUsers;
    prefix = keys::Tuple({pool_id, indexed});
  } else if (attribute == "sub") {
    table = Table::kUserSubs;
    prefix = keys::Tuple({pool_id, indexed});
  } else {
    prefix = keys::Tuple({pool_id, attribute, indexed});
  }
  // Without its terminator the last component matches every value that starts with it: a range
  // scan for ^=, and for = on values longer than the index keeps.
  if (filter->prefix || indexed.size() < wanted.size()) prefix.pop_back();
  txn.Scan(table, prefix, from, [&](std::string_view key, std::string_view value) {
    std::optional<json> record;
    if (table == Table::kUsers) {
      record = json::from_msgpack(value.begin(), value.end());
    } else {
      record = txn.GetJson(Table::kUsers, keys::Tuple({pool_id, value}));
    }
    if (!record) return true;
    const std::optional<std::string> have = RecordSearchValue(pool, *record, attribute);
    const bool match = have && (filter->prefix ? have->starts_with(wanted) : *have == wanted);
    return match ? visit(key, *record) : true;
  });
}

size_t BackfillSearchIndex(store::Txn& txn) {
  auto any = [&](Table table) {
    bool found = false;
    txn.Scan(table, "", std::nullopt, [&](std::string_view, std::string_view) { return !(found = true); });
    return found;
  };
  if (!txn.writable() || !any(Table::kUsers) || any(Table::kUserSearch)) return 0;
  std::vector<std::pair<std::string, json>> users;  // (pool_id, record); written after the scan
  txn.Scan(Table::kUsers, "", std::nullopt, [&](std::string_view key, std::string_view value) {
    users.emplace_back(keys::Split(key).at(0), json::from_msgpack(value.begin(), value.end()));
    return true;
  });
  std::optional<json> pool;
  for (const auto& [pool_id, record] : users) {
    if (!pool || PoolId(*pool) != pool_id) {
      auto stored = txn.GetJson(Table::kUserPools, keys::Tuple({pool_id}));
      if (!stored) continue;
      pool = (*stored)["pool"];
    }
    const UserRef user{UserKey(*pool, record.value("Username", "")), record};
    for (const IndexEntry& e : IndexEntries(*pool, user)) {
      if (e.table == Table::kUserSearch) txn.Put(e.table, e.key, user.key);
    }
  }
  return users.size();
}

}  // namespace cogemu::idp
