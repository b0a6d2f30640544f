// Group handlers: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup.
#include "emulator/idp/groups.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/api/pagination.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/users.h"

namespace cogemu::idp {
namespace {

using api::Has;
using api::Str;
using store::Table;
namespace keys = store::keys;

ApiError GroupNotFound() { return errors::ResourceNotFound("Group not found."); }

std::optional<json> FindGroup(const store::Txn& txn, const std::string& pool_id, const std::string& name) {
  return txn.GetJson(Table::kGroups, keys::Tuple({pool_id, name}));
}

json RequireGroup(const api::Context& ctx, const std::string& pool_id, const std::string& name) {
  auto group = FindGroup(ctx.txn, pool_id, name);
  if (!group) throw GroupNotFound();
  return *group;
}

std::optional<std::string> PageStart(const json& in, const std::string& scope) {
  if (!Has(in, "NextToken")) return std::nullopt;
  auto after = api::ReadPageToken(scope, in["NextToken"].get<std::string>());
  if (!after) throw errors::InvalidParameter("Invalid pagination token.");
  return after;
}

// Visits up to PageSize(in) entries under `prefix` after the token's key; `item` returns the
// element to list (or null to skip a dangling index entry). Sets out[list] and out["NextToken"].
json Page(const api::Context& ctx, const json& in, Table table, const std::string& prefix,
          const std::string& scope, const char* list,
          const std::function<json(const std::vector<std::string>&)>& item) {
  const size_t max = api::PageSize(in, "Limit", 60);  // Limit: 1-60; absent (or 0) means 60
  const std::optional<std::string> after = PageStart(in, scope);
  json items = json::array();
  std::string last_key;
  bool more = false;
  ctx.txn.Scan(table, prefix, after, [&](std::string_view key, std::string_view) {
    if (items.size() == max) {
      more = true;
      return false;
    }
    json e = item(keys::Split(key));
    if (!e.is_null()) items.push_back(std::move(e));
    last_key = key;
    return true;
  });
  json out = {{list, items}};
  if (more) out["NextToken"] = api::MakePageToken(scope, last_key);
  return out;
}

void SetOptional(json& group, const json& in) {
  for (const char* name : {"Description", "RoleArn", "Precedence"}) {
    if (Has(in, name)) group[name] = in[name];
  }
}

}  // namespace

std::vector<json> GroupsOfUser(const store::Txn& txn, const std::string& pool_id, const std::string& user_key) {
  std::vector<json> groups;
  txn.Scan(Table::kUserGroups, keys::Prefix({pool_id, user_key}), std::nullopt,
           [&](std::string_view key, std::string_view) {
             if (auto g = FindGroup(txn, pool_id, keys::Split(key).at(2))) groups.push_back(std::move(*g));
             return true;
           });
  std::stable_sort(groups.begin(), groups.end(), [](const json& a, const json& b) {
    const bool ha = a.contains("Precedence"), hb = b.contains("Precedence");
    if (ha != hb) return ha;
    if (ha && a["Precedence"] != b["Precedence"]) return a["Precedence"].get<int64_t>() < b["Precedence"].get<int64_t>();
    return a["GroupName"].get<std::string>() < b["GroupName"].get<std::string>();
  });
  return groups;
}

void DeleteUserMemberships(api::Context& ctx, const std::string& pool_id, const std::string& user_key) {
  std::vector<std::string> names;
  ctx.txn.Scan(Table::kUserGroups, keys::Prefix({pool_id, user_key}), std::nullopt,
               [&](std::string_view key, std::string_view) {
                 names.push_back(keys::Split(key).at(2));
                 return true;
               });
  for (const std::string& name : names) ctx.txn.Del(Table::kGroupMembers, keys::Tuple({pool_id, name, user_key}));
  ctx.txn.DelPrefix(Table::kUserGroups, keys::Prefix({pool_id, user_key}));
}

void DeletePoolGroups(api::Context& ctx, const std::string& pool_id) {
  ctx.txn.DelPrefix(Table::kGroups, keys::Prefix({pool_id}));
  ctx.txn.DelPrefix(Table::kGroupMembers, keys::Prefix({pool_id}));
  ctx.txn.DelPrefix(Table::kUserGroups, keys::Prefix({pool_id}));
}

json CreateGroup(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  RequirePool(ctx, pool_id);
  const std::string name = in["GroupName"];
  const std::string key = keys::Tuple({pool_id, name});
  if (ctx.txn.Has(Table::kGroups, key)) {
    throw ApiError("GroupExistsException", "A group with the name " + name + " already exists.");
  }
  const double now = ctx.now();
  json group = {{"GroupName", name}, {"UserPoolId", pool_id}};
  SetOptional(group, in);
  group["LastModifiedDate"] = now;
  group["CreationDate"] = now;
  ctx.txn.PutJson(Table::kGroups, key, group);
  return {{"Group", group}};
}

json GetGroup(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  RequirePool(ctx, pool_id);
  return {{"Group", RequireGroup(ctx, pool_id, in["GroupName"])}};
}

json UpdateGroup(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  RequirePool(ctx, pool_id);
  const std::string name = in["GroupName"];
  json group = RequireGroup(ctx, pool_id, name);
  SetOptional(group, in);
  group["LastModifiedDate"] = ctx.now();
  ctx.txn.PutJson(Table::kGroups, keys::Tuple({pool_id, name}), group);
  return {{"Group", group}};
}

json DeleteGroup(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  RequirePool(ctx, pool_id);
  const std::string name = in["GroupName"];
  if (!ctx.txn.Del(Table::kGroups, keys::Tuple({pool_id, name}))) throw GroupNotFound();
  std::vector<std::string> members;
  ctx.txn.Scan(Table::kGroupMembers, keys::Prefix({pool_id, name}), std::nullopt,
               [&](std::string_view key, std::string_view) {
                 members.push_back(keys::Split(key).at(2));
                 return true;
               });
  for (const std::string& user_key : members) ctx.txn.Del(Table::kUserGroups, keys::Tuple({pool_id, user_key, name}));
  ctx.txn.DelPrefix(Table::kGroupMembers, keys::Prefix({pool_id, name}));
  return json::object();
}

json ListGroups(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  RequirePool(ctx, pool_id);
  return Page(ctx, in, Table::kGroups, keys::Prefix({pool_id}), "groups:" + pool_id, "Groups",
              [&](const std::vector<std::string>& parts) {
                return FindGroup(ctx.txn, pool_id, parts.at(1)).value_or(json());
              });
}

json AdminAddUserToGroup(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  const SharedPool shared_pool = RequirePool(ctx, pool_id);
  const json& pool = shared_pool.pool();
  const std::string name = in["GroupName"];
  RequireGroup(ctx, pool_id, name);
  const UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  ctx.txn.Put(Table::kGroupMembers, keys::Tuple({pool_id, name, user.key}), "");
  ctx.txn.Put(Table::kUserGroups, keys::Tuple({pool_id, user.key, name}), "");
  return json::object();
}

json AdminRemoveUserFromGroup(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  const SharedPool shared_pool = RequirePool(ctx, pool_id);
  const json& pool = shared_pool.pool();
  const std::string name = in["GroupName"];
  RequireGroup(ctx, pool_id, name);
  const UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  ctx.txn.Del(Table::kGroupMembers, keys::Tuple({pool_id, name, user.key}));
  ctx.txn.Del(Table::kUserGroups, keys::Tuple({pool_id, user.key, name}));
  return json::object();
}

json AdminListGroupsForUser(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  const SharedPool shared_pool = RequirePool(ctx, pool_id);
  const json& pool = shared_pool.pool();
  const UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  return Page(ctx, in, Table::kUserGroups, keys::Prefix({pool_id, user.key}),
              "user-groups:" + pool_id + ":" + user.key, "Groups", [&](const std::vector<std::string>& parts) {
                return FindGroup(ctx.txn, pool_id, parts.at(2)).value_or(json());
              });
}

json ListUsersInGroup(api::Context& ctx, const json& in) {
  const std::string pool_id = in["UserPoolId"];
  RequirePool(ctx, pool_id);
  const std::string name = in["GroupName"];
  RequireGroup(ctx, pool_id, name);
  return Page(ctx, in, Table::kGroupMembers, keys::Prefix({pool_id, name}), "group-users:" + pool_id + ":" + name,
              "Users", [&](const std::vector<std::string>& parts) {
                auto record = ctx.txn.GetJson(Table::kUsers, keys::Tuple({pool_id, parts.at(2)}));
                return record ? UserType(*record) : json();
              });
}

}  // namespace cogemu::idp
