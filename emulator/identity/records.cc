// Identity pool and identity records: lookups, IDs and the login index (see records.h).
#include "emulator/identity/records.h"

#include "emulator/api/error.h"

namespace cogemu::identity {
namespace {

using store::Table;
namespace keys = store::keys;

}  // namespace

ApiError IdentityPoolNotFound(const std::string& pool_id) {
  return errors::ResourceNotFound("IdentityPool '" + pool_id + "' not found.");
}

std::optional<json> FindIdentityPool(const store::Txn& txn, const std::string& pool_id) {
  return txn.GetJson(Table::kIdentityPools, keys::Tuple({pool_id}));
}

json RequireIdentityPool(const api::Context& ctx, const std::string& pool_id) {
  auto record = FindIdentityPool(ctx.txn, pool_id);
  if (!record) throw IdentityPoolNotFound(pool_id);
  return *record;
}

void SaveIdentityPool(api::Context& ctx, const json& record) {
  ctx.txn.PutJson(Table::kIdentityPools, keys::Tuple({record["pool"]["IdentityPoolId"].get<std::string>()}),
                  record);
}

std::string IdentityPoolArn(const api::Context& ctx, const std::string& pool_id) {
  return "arn:aws:cognito-identity:" + RegionOf(pool_id) + ":" + ctx.account_id() + ":identitypool/" +
         pool_id;
}

std::string RegionOf(const std::string& regional_id) { return regional_id.substr(0, regional_id.find(':')); }

std::string NewRegionalId(api::Context& ctx, const std::string& region) {
  std::string id = region;
  id += ':';
  id += ctx.random.Uuid4();
  return id;
}

std::optional<json> FindIdentity(const store::Txn& txn, const std::string& identity_id) {
  return txn.GetJson(Table::kIdentities, keys::Tuple({identity_id}));
}

std::optional<std::string> LoginOwner(const store::Txn& txn, const std::string& pool_id,
                                      const std::string& provider, const std::string& subject) {
  auto owner = txn.Get(Table::kIdentityLogins, keys::Tuple({pool_id, provider, subject}));
  if (!owner) return std::nullopt;
  return std::string(*owner);
}

json CreateIdentity(api::Context& ctx, const std::string& pool_id) {
  std::string id;
  do {
    id = NewRegionalId(ctx, RegionOf(pool_id));
  } while (ctx.txn.Has(Table::kIdentities, keys::Tuple({id})));
  const double now = ctx.now();
  json identity = {{"IdentityId", id},
                   {"IdentityPoolId", pool_id},
                   {"Logins", json::object()},
                   {"CreationDate", now},
                   {"LastModifiedDate", now}};
  PutIdentity(ctx, identity, nullptr);
  return identity;
}

void PutIdentity(api::Context& ctx, json& identity, const json* previous) {
  const std::string id = identity["IdentityId"];
  const std::string pool_id = identity["IdentityPoolId"];
  if (previous) {
    for (auto it = (*previous)["Logins"].begin(); it != (*previous)["Logins"].end(); ++it) {
      for (const auto& subject : it.value()) {
        ctx.txn.Del(Table::kIdentityLogins, keys::Tuple({pool_id, it.key(), subject.get<std::string>()}));
      }
    }
  }
  for (auto it = identity["Logins"].begin(); it != identity["Logins"].end(); ++it) {
    for (const auto& subject : it.value()) {
      ctx.txn.Put(Table::kIdentityLogins, keys::Tuple({pool_id, it.key(), subject.get<std::string>()}), id);
    }
  }
  ctx.txn.PutJson(Table::kIdentities, keys::Tuple({id}), identity);
  if (!previous) ctx.txn.Put(Table::kPoolIdentities, keys::Tuple({pool_id, id}), "");
}

void DeleteIdentityRecord(api::Context& ctx, const json& identity) {
  const std::string id = identity["IdentityId"];
  const std::string pool_id = identity["IdentityPoolId"];
  for (auto it = identity["Logins"].begin(); it != identity["Logins"].end(); ++it) {
    for (const auto& subject : it.value()) {
      ctx.txn.Del(Table::kIdentityLogins, keys::Tuple({pool_id, it.key(), subject.get<std::string>()}));
    }
  }
  ctx.txn.Del(Table::kIdentities, keys::Tuple({id}));
  ctx.txn.Del(Table::kPoolIdentities, keys::Tuple({pool_id, id}));
  ctx.txn.DelPrefix(Table::kIssuedCredentials, keys::Prefix({id}));
}

void DeletePoolIdentities(api::Context& ctx, const std::string& pool_id) {
  std::vector<std::string> ids;
  ctx.txn.Scan(Table::kPoolIdentities, keys::Prefix({pool_id}), std::nullopt,
               [&](std::string_view key, std::string_view) {
                 ids.push_back(keys::Split(key).at(1));
                 return true;
               });
  for (const std::string& id : ids) {
    ctx.txn.Del(Table::kIdentities, keys::Tuple({id}));
    ctx.txn.DelPrefix(Table::kIssuedCredentials, keys::Prefix({id}));
  }
  ctx.txn.DelPrefix(Table::kPoolIdentities, keys::Prefix({pool_id}));
  ctx.txn.DelPrefix(Table::kIdentityLogins, keys::Prefix({pool_id}));
}

bool IsAuthenticated(const json& identity) { return !identity.value("Logins", json::object()).empty(); }

bool IsMerged(const json& identity) { return identity.contains("MergedInto"); }

json LoginProviders(const json& identity) {
  json out = json::array();
  for (auto it = identity["Logins"].begin(); it != identity["Logins"].end(); ++it) out.push_back(it.key());
  return out;
}

}  // namespace cogemu::identity
