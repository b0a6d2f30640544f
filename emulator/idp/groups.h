// User-pool groups: the record, the two membership indexes, the handlers of the group API and
// what tokens and user deletion need from them.
//
// Group record (store::Table::kGroups, key (pool_id, group_name)): <GroupType as GetGroup
//   returns it> {"GroupName", "UserPoolId", "Description"?, "RoleArn"?, "Precedence"?,
//   "LastModifiedDate", "CreationDate"}.
// Memberships, written and removed together:
//   kGroupMembers (pool_id, group_name, username_key) -> ""   users of a group
//   kUserGroups   (pool_id, username_key, group_name) -> ""   groups of a user
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulator/api/context.h"

namespace cogemu::idp {

using json = nlohmann::json;

// The groups of a user (GroupType records), ordered as tokens list them: Precedence ascending,
// groups without a Precedence last, then by name.
std::vector<json> GroupsOfUser(const store::Txn& txn, const std::string& pool_id, const std::string& user_key);
// Removes every membership of one user (user deletion).
void DeleteUserMemberships(api::Context& ctx, const std::string& pool_id, const std::string& user_key);
// Removes every group and membership of a pool (pool deletion).
void DeletePoolGroups(api::Context& ctx, const std::string& pool_id);

// Handlers (see api/operations.cc).
json CreateGroup(api::Context& ctx, const json& in);
json GetGroup(api::Context& ctx, const json& in);
json UpdateGroup(api::Context& ctx, const json& in);
json DeleteGroup(api::Context& ctx, const json& in);
json ListGroups(api::Context& ctx, const json& in);
json AdminAddUserToGroup(api::Context& ctx, const json& in);
json AdminRemoveUserFromGroup(api::Context& ctx, const json& in);
json AdminListGroupsForUser(api::Context& ctx, const json& in);
json ListUsersInGroup(api::Context& ctx, const json& in);

}  // namespace cogemu::idp
