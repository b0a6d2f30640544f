// Groups: the group API, memberships (both index directions), cleanup on deletion and the
// cognito:groups / cognito:roles / cognito:preferred_role claims.
#include <doctest/doctest.h>

#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {
namespace {

const char* kPassword = "Passw0rd!";
const std::string kRoleA = "arn:aws:iam::123456789012:role/a";
const std::string kRoleB = "arn:aws:iam::123456789012:role/b";

struct Pool {
  EmulatorFixture f;
  std::string pool;
  std::string client_id;
  Pool() {
    pool = f.CreatePool();
    client_id = f.CreateClient(pool)["ClientId"];
    f.CreateConfirmedUser(pool, "alice", kPassword);
  }
  json Group(const std::string& name, json extra = json::object()) {
    extra["UserPoolId"] = pool;
    extra["GroupName"] = name;
    return f.Ok("CreateGroup", extra)["Group"];
  }
  void Add(const std::string& user, const std::string& group) {
    f.Ok("AdminAddUserToGroup", {{"UserPoolId", pool}, {"Username", user}, {"GroupName", group}});
  }
  std::pair<json, json> Tokens() {
    CallResult r = f.PasswordAuth(client_id, "alice", kPassword);
    REQUIRE(r.ok());
    return {EmulatorFixture::Claims(r.body["AuthenticationResult"]["IdToken"]),
            EmulatorFixture::Claims(r.body["AuthenticationResult"]["AccessToken"])};
  }
  json GroupNames(const json& list) {
    json names = json::array();
    for (const json& g : list) names.push_back(g["GroupName"]);
    return names;
  }
};

TEST_CASE("groups: create, get, update, delete") {
  Pool p;
  const json g = p.Group("admins", {{"Description", "d"}, {"RoleArn", kRoleA}, {"Precedence", 3}});
  CHECK(g["GroupName"] == "admins");
  CHECK(g["UserPoolId"] == p.pool);
  CHECK(g["Description"] == "d");
  CHECK(g["RoleArn"] == kRoleA);
  CHECK(g["Precedence"] == 3);
  CHECK(g["CreationDate"] == 1767225600.0);
  CHECK(g["LastModifiedDate"] == 1767225600.0);
  CHECK_FALSE(p.Group("plain").contains("Precedence"));

  CallResult dup = p.f.Call("CreateGroup", {{"UserPoolId", p.pool}, {"GroupName", "admins"}});
  CHECK(dup.type() == "GroupExistsException");
  CHECK(dup.message() == "A group with the name admins already exists.");
  CallResult no_pool = p.f.Call("CreateGroup", {{"UserPoolId", "us-east-1_nope"}, {"GroupName", "x"}});
  CHECK(no_pool.type() == "ResourceNotFoundException");
  CHECK(no_pool.message() == "User pool us-east-1_nope does not exist.");

  CHECK(p.f.Ok("GetGroup", {{"UserPoolId", p.pool}, {"GroupName", "admins"}})["Group"] == g);
  for (const char* op : {"GetGroup", "UpdateGroup", "DeleteGroup", "ListUsersInGroup"}) {
    CallResult r = p.f.Call(op, {{"UserPoolId", p.pool}, {"GroupName", "missing"}});
    CHECK(r.type() == "ResourceNotFoundException");
    CHECK(r.message() == "Group not found.");
  }

  p.f.clock().Advance(10000);
  const json u = p.f.Ok("UpdateGroup", {{"UserPoolId", p.pool}, {"GroupName", "admins"}, {"Precedence", 7}})["Group"];
  CHECK(u["Precedence"] == 7);
  CHECK(u["Description"] == "d");  // members not given stay
  CHECK(u["RoleArn"] == kRoleA);
  CHECK(u["CreationDate"] == 1767225600.0);
  CHECK(u["LastModifiedDate"] == 1767225610.0);

  CHECK(p.f.Ok("DeleteGroup", {{"UserPoolId", p.pool}, {"GroupName", "admins"}}) == json::object());
  CHECK(p.f.Call("GetGroup", {{"UserPoolId", p.pool}, {"GroupName", "admins"}}).message() == "Group not found.");
}

TEST_CASE("groups: ListGroups pages in name order") {
  Pool p;
  for (const char* name : {"c", "a", "e", "b", "d"}) p.Group(name);
  json all = p.f.Ok("ListGroups", {{"UserPoolId", p.pool}});
  CHECK(p.GroupNames(all["Groups"]) == json{"a", "b", "c", "d", "e"});
  CHECK_FALSE(all.contains("NextToken"));
  json names = json::array();
  json in = {{"UserPoolId", p.pool}, {"Limit", 2}};
  int pages = 0;
  for (;; ++pages) {
    json page = p.f.Ok("ListGroups", in);
    for (const json& n : p.GroupNames(page["Groups"])) names.push_back(n);
    if (!page.contains("NextToken")) break;
    in["NextToken"] = page["NextToken"];
  }
  CHECK(pages == 2);
  CHECK(names == json{"a", "b", "c", "d", "e"});
  CallResult bad = p.f.Call("ListGroups", {{"UserPoolId", p.pool}, {"NextToken", "bogus"}});
  CHECK(bad.type() == "InvalidParameterException");
}

TEST_CASE("groups: memberships, both directions, by username, alias or sub") {
  Pool p;
  p.Group("a");
  p.Group("b");
  p.f.CreateConfirmedUser(p.pool, "bob", kPassword);
  p.Add("alice", "a");
  p.Add("alice", "a");  // idempotent
  p.Add("alice", "b");
  const json bob = p.f.Ok("AdminGetUser", {{"UserPoolId", p.pool}, {"Username", "bob"}});
  std::string bob_sub;
  for (const json& a : bob["UserAttributes"]) {
    if (a["Name"] == "sub") bob_sub = a["Value"];
  }
  p.Add(bob_sub, "a");

  json groups = p.f.Ok("AdminListGroupsForUser", {{"UserPoolId", p.pool}, {"Username", "alice"}})["Groups"];
  CHECK(p.GroupNames(groups) == json{"a", "b"});
  CHECK(groups[0]["UserPoolId"] == p.pool);
  json page = p.f.Ok("AdminListGroupsForUser", {{"UserPoolId", p.pool}, {"Username", "alice"}, {"Limit", 1}});
  CHECK(page["Groups"].size() == 1);
  REQUIRE(page.contains("NextToken"));
  page = p.f.Ok("AdminListGroupsForUser",
                {{"UserPoolId", p.pool}, {"Username", "alice"}, {"Limit", 1}, {"NextToken", page["NextToken"]}});
  CHECK(p.GroupNames(page["Groups"]) == json{"b"});

  json users = p.f.Ok("ListUsersInGroup", {{"UserPoolId", p.pool}, {"GroupName", "a"}})["Users"];
  REQUIRE(users.size() == 2);
  CHECK(users[0]["Username"] == "alice");
  CHECK(users[1]["Username"] == "bob");
  CHECK(users[0]["UserStatus"] == "CONFIRMED");

  CallResult r = p.f.Call("AdminAddUserToGroup", {{"UserPoolId", p.pool}, {"Username", "alice"}, {"GroupName", "z"}});
  CHECK(r.type() == "ResourceNotFoundException");
  CHECK(r.message() == "Group not found.");
  r = p.f.Call("AdminAddUserToGroup", {{"UserPoolId", p.pool}, {"Username", "nobody"}, {"GroupName", "a"}});
  CHECK(r.type() == "UserNotFoundException");
  CHECK(r.message() == "User does not exist.");
  r = p.f.Call("AdminListGroupsForUser", {{"UserPoolId", p.pool}, {"Username", "nobody"}});
  CHECK(r.type() == "UserNotFoundException");

  p.f.Ok("AdminRemoveUserFromGroup", {{"UserPoolId", p.pool}, {"Username", "alice"}, {"GroupName", "a"}});
  CHECK(p.GroupNames(p.f.Ok("AdminListGroupsForUser", {{"UserPoolId", p.pool}, {"Username", "alice"}})["Groups"]) ==
        json{"b"});
  users = p.f.Ok("ListUsersInGroup", {{"UserPoolId", p.pool}, {"GroupName", "a"}})["Users"];
  REQUIRE(users.size() == 1);
  CHECK(users[0]["Username"] == "bob");
}

TEST_CASE("groups: deleting a group, a user or the pool removes the memberships") {
  Pool p;
  p.Group("a");
  p.Group("b");
  p.f.CreateConfirmedUser(p.pool, "bob", kPassword);
  p.Add("alice", "a");
  p.Add("alice", "b");
  p.Add("bob", "a");
  p.f.Ok("DeleteGroup", {{"UserPoolId", p.pool}, {"GroupName", "a"}});
  CHECK(p.GroupNames(p.f.Ok("AdminListGroupsForUser", {{"UserPoolId", p.pool}, {"Username", "alice"}})["Groups"]) ==
        json{"b"});
  CHECK(p.f.Ok("AdminListGroupsForUser", {{"UserPoolId", p.pool}, {"Username", "bob"}})["Groups"].empty());
  p.Group("a");  // recreated: no members carried over
  CHECK(p.f.Ok("ListUsersInGroup", {{"UserPoolId", p.pool}, {"GroupName", "a"}})["Users"].empty());

  p.f.Ok("AdminDeleteUser", {{"UserPoolId", p.pool}, {"Username", "alice"}});
  CHECK(p.f.Ok("ListUsersInGroup", {{"UserPoolId", p.pool}, {"GroupName", "b"}})["Users"].empty());
  p.f.CreateConfirmedUser(p.pool, "alice", kPassword);  // same name again: no groups
  CHECK(p.f.Ok("AdminListGroupsForUser", {{"UserPoolId", p.pool}, {"Username", "alice"}})["Groups"].empty());

  p.f.Ok("DeleteUserPool", {{"UserPoolId", p.pool}});
  store::Txn txn(p.f.env(), store::Txn::Mode::kRead);
  for (store::Table t : {store::Table::kGroups, store::Table::kGroupMembers, store::Table::kUserGroups}) {
    CHECK(txn.Count(t, "") == 0);
  }
}

TEST_CASE("groups: tokens carry cognito:groups, cognito:roles and cognito:preferred_role") {
  Pool p;
  SUBCASE("no groups: no claims") {
    auto [id, access] = p.Tokens();
    CHECK_FALSE(id.contains("cognito:groups"));
    CHECK_FALSE(id.contains("cognito:roles"));
    CHECK_FALSE(id.contains("cognito:preferred_role"));
    CHECK_FALSE(access.contains("cognito:groups"));
  }
  SUBCASE("ordered by precedence, unranked last; preferred role is the lowest precedence with a role") {
    p.Group("z-unranked", {{"RoleArn", kRoleB}});
    p.Group("m-plain");
    p.Group("b-second", {{"Precedence", 2}, {"RoleArn", kRoleB}});
    p.Group("a-norole", {{"Precedence", 0}});
    p.Group("c-first", {{"Precedence", 1}, {"RoleArn", kRoleA}});
    for (const char* g : {"z-unranked", "m-plain", "b-second", "a-norole", "c-first"}) p.Add("alice", g);
    auto [id, access] = p.Tokens();
    const json order = {"a-norole", "c-first", "b-second", "m-plain", "z-unranked"};
    CHECK(id["cognito:groups"] == order);
    CHECK(access["cognito:groups"] == order);
    CHECK(id["cognito:roles"] == json{kRoleA, kRoleB, kRoleB});
    CHECK(id["cognito:preferred_role"] == kRoleA);
    CHECK_FALSE(access.contains("cognito:roles"));
    CHECK_FALSE(access.contains("cognito:preferred_role"));
  }
  SUBCASE("a tie on the lowest precedence with different roles: no preferred role") {
    p.Group("x", {{"Precedence", 1}, {"RoleArn", kRoleA}});
    p.Group("y", {{"Precedence", 1}, {"RoleArn", kRoleB}});
    p.Add("alice", "x");
    p.Add("alice", "y");
    auto [id, access] = p.Tokens();
    CHECK(id["cognito:roles"] == json{kRoleA, kRoleB});
    CHECK_FALSE(id.contains("cognito:preferred_role"));
  }
  SUBCASE("a tie on the lowest precedence with the same role: that role") {
    p.Group("x", {{"Precedence", 1}, {"RoleArn", kRoleA}});
    p.Group("y", {{"Precedence", 1}, {"RoleArn", kRoleA}});
    p.Group("w", {{"Precedence", 4}, {"RoleArn", kRoleB}});
    for (const char* g : {"x", "y", "w"}) p.Add("alice", g);
    auto [id, access] = p.Tokens();
    CHECK(id["cognito:preferred_role"] == kRoleA);
  }
  SUBCASE("roles without precedence: cognito:roles but no preferred role") {
    p.Group("x", {{"RoleArn", kRoleA}});
    p.Add("alice", "x");
    auto [id, access] = p.Tokens();
    CHECK(id["cognito:roles"] == json{kRoleA});
    CHECK_FALSE(id.contains("cognito:preferred_role"));
  }
}

}  // namespace
}  // namespace cogemu::testing
