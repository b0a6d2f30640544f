// ListUsers: every filter form against the indexes, their upkeep as users change, ordering,
// AttributesToGet, Limit and position-based pagination tokens.
#include <doctest/doctest.h>

#include <set>

#include "emulator/idp/pools.h"
#include "emulator/idp/users.h"
#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {
namespace {

// An EmulatorFixture that can also rewrite a user record the way an attribute update does
// (through idp::PutUser), before UpdateUserAttributes exists.
class Fixture : public EmulatorFixture {
 public:
  void SetAttribute(const std::string& pool_id, const std::string& username, const std::string& name,
                    const std::optional<std::string>& value) {
    InTxn(store::Txn::Mode::kWrite, [&](api::Context& ctx) {
      const json pool = idp::RequirePool(ctx, pool_id)["pool"];
      idp::UserRef user = *idp::FindUserByUsername(ctx.txn, pool, username);
      const json previous = user.record;
      if (value) {
        user.record["Attributes"][name] = *value;
      } else {
        user.record["Attributes"].erase(name);
      }
      idp::PutUser(ctx, pool, user, &previous);
      return json();
    });
  }
  // What a data directory written before the search index looks like, then the start-up backfill.
  void DropSearchIndex() {
    store::Txn txn(env(), store::Txn::Mode::kWrite);
    txn.DelPrefix(store::Table::kUserSearch, "");
    txn.Commit();
  }
  size_t Backfill() {
    store::Txn txn(env(), store::Txn::Mode::kWrite);
    const size_t n = idp::BackfillSearchIndex(txn);
    txn.Commit();
    return n;
  }
  size_t SearchEntries() {
    store::Txn txn(env(), store::Txn::Mode::kRead);
    return txn.Count(store::Table::kUserSearch, "");
  }
};

struct Pool {
  Fixture f;
  std::string pool;
  explicit Pool(json extra = json::object()) { pool = f.CreatePool(std::move(extra)); }
  void User(const std::string& name, json attrs = json::object()) {
    json list = json::array();
    for (auto it = attrs.begin(); it != attrs.end(); ++it) list.push_back({{"Name", it.key()}, {"Value", it.value()}});
    f.Ok("AdminCreateUser",
         {{"UserPoolId", pool}, {"Username", name}, {"MessageAction", "SUPPRESS"}, {"UserAttributes", list}});
  }
  CallResult List(json extra = json::object()) {
    extra["UserPoolId"] = pool;
    return f.Call("ListUsers", extra);
  }
  json Names(const std::string& filter, json extra = json::object()) {
    extra["Filter"] = filter;
    CallResult r = List(extra);
    INFO(filter << " -> " << r.body.dump());
    REQUIRE(r.ok());
    json names = json::array();
    for (const json& u : r.body["Users"]) names.push_back(u["Username"]);
    return names;
  }
  // Every page of a listing, following tokens.
  json AllNames(const std::string& filter, int limit) {
    json names = json::array();
    json in = {{"Filter", filter}, {"Limit", limit}};
    for (int pages = 0; pages < 100; ++pages) {
      CallResult r = List(in);
      REQUIRE(r.ok());
      for (const json& u : r.body["Users"]) names.push_back(u["Username"]);
      if (!r.body.contains("PaginationToken")) return names;
      in["PaginationToken"] = r.body["PaginationToken"];
    }
    FAIL("pagination did not end");
    return names;
  }
  std::string Sub(const std::string& name) {
    json user = f.Ok("AdminGetUser", {{"UserPoolId", pool}, {"Username", name}});
    for (const json& a : user["UserAttributes"]) {
      if (a["Name"] == "sub") return a["Value"];
    }
    return "";
  }
};

void CheckRefused(const CallResult& r, const std::string& type, const std::string& message) {
  INFO(r.body.dump());
  CHECK(r.type() == type);
  CHECK(r.message() == message);
}

TEST_CASE("list users: every filter form finds exactly its users, in the filtered attribute's order") {
  Pool p;
  p.User("carol", {{"email", "carol@b.example"}, {"given_name", "Carol"}, {"family_name", "O\"Neil"},
                   {"name", "Carol O"}, {"phone_number", "+15550000003"}, {"preferred_username", "cc"}});
  p.User("alice", {{"email", "alice@a.example"}, {"given_name", "Alice"}, {"family_name", "Smith"},
                   {"phone_number", "+15550000001"}});
  p.User("bob", {{"email", "Bob@A.example"}, {"given_name", "Bob"}, {"family_name", "Smith"},
                 {"phone_number", "+4470000002"}, {"preferred_username", "bb"}});
  p.User("dave");
  p.f.Ok("AdminDisableUser", {{"UserPoolId", p.pool}, {"Username", "bob"}});
  p.f.Ok("AdminSetUserPassword",
         {{"UserPoolId", p.pool}, {"Username", "carol"}, {"Password", "Passw0rd!"}, {"Permanent", true}});

  struct {
    std::string filter;
    json names;
  } cases[] = {
      {"", {"alice", "bob", "carol", "dave"}},
      {"username = \"bob\"", {"bob"}},
      {"username = \"Bob\"", json::array()},  // case-sensitive pool
      {"username ^= \"\"", {"alice", "bob", "carol", "dave"}},
      {"username ^= \"ca\"", {"carol"}},
      {"email = \"alice@a.example\"", {"alice"}},
      {"email = \"ALICE@A.EXAMPLE\"", {"alice"}},  // values without letter case
      {"email = \"alice@a\"", json::array()},
      {"email ^= \"\"", {"alice", "bob", "carol"}},  // everyone with an email, by email
      {"email ^= \"b\"", {"bob"}},
      {"email ^= \"a\"", {"alice"}},
      {"phone_number = \"+15550000003\"", {"carol"}},
      {"phone_number ^= \"+1555\"", {"alice", "carol"}},
      {"phone_number ^= \"+\"", {"alice", "carol", "bob"}},  // ordered by phone number
      {"name = \"Carol O\"", {"carol"}},
      {"given_name ^= \"\"", {"alice", "bob", "carol"}},
      {"given_name = \"bob\"", {"bob"}},
      {"family_name = \"Smith\"", {"alice", "bob"}},
      {"family_name = \"O\\\"Neil\"", {"carol"}},
      {"family_name ^= \"O\\\"\"", {"carol"}},
      {"preferred_username ^= \"\"", {"bob", "carol"}},  // bb < cc
      {"preferred_username = \"cc\"", {"carol"}},
      {"cognito:user_status = \"FORCE_CHANGE_PASSWORD\"", {"alice", "bob", "dave"}},
      {"cognito:user_status = \"confirmed\"", {"carol"}},  // case-insensitive
      {"cognito:user_status ^= \"Force\"", {"alice", "bob", "dave"}},
      {"status = \"Enabled\"", {"alice", "carol", "dave"}},
      {"status = \"Disabled\"", {"bob"}},
      {"status = \"disabled\"", json::array()},  // case-sensitive
      {"status ^= \"\"", {"bob", "alice", "carol", "dave"}},  // Disabled < Enabled
  };
  for (const auto& c : cases) {
    CAPTURE(c.filter);
    CHECK(p.Names(c.filter) == c.names);
  }
  const std::string sub = p.Sub("dave");
  CHECK(p.Names("sub = \"" + sub + "\"") == json{"dave"});
  CHECK(p.Names("sub ^= \"" + sub.substr(0, 8) + "\"") == json{"dave"});
  CHECK(p.Names("sub = \"" + sub.substr(0, 8) + "\"").empty());
  std::set<std::string> by_sub;
  for (const json& n : p.Names("sub ^= \"\"")) by_sub.insert(n.get<std::string>());
  CHECK(by_sub.size() == 4);
}

TEST_CASE("list users: refusals") {
  Pool p;
  p.User("alice", {{"email", "alice@a.example"}});
  for (const char* filter : {"custom:tier = \"gold\"", "locale = \"en\"", "email = alice", "email = \"a",
                             "email != \"a\"", "email = \"a\" and name = \"b\"", "nonsense"}) {
    CAPTURE(filter);
    CheckRefused(p.List({{"Filter", filter}}), "InvalidParameterException", "Error while parsing filter.");
  }
  CheckRefused(p.f.Call("ListUsers", {{"UserPoolId", "us-east-1_Nope12345"}}), "ResourceNotFoundException",
               "User pool us-east-1_Nope12345 does not exist.");
  CheckRefused(p.List({{"Limit", 61}}), "InvalidParameterException",
               "1 validation error detected: Value '61' at 'limit' failed to satisfy constraint: Member must have "
               "value less than or equal to 60");
}

TEST_CASE("list users: a case-insensitive pool matches usernames by its rule") {
  Pool p(json{{"UsernameConfiguration", {{"CaseSensitive", false}}}});
  p.User("Alice");
  p.User("bob");
  CHECK(p.Names("username = \"alice\"") == json{"Alice"});
  CHECK(p.Names("username = \"ALICE\"") == json{"Alice"});
  CHECK(p.Names("username ^= \"AL\"") == json{"Alice"});
  CHECK(p.Names("") == json{"Alice", "bob"});
}

TEST_CASE("list users: the search index follows attribute changes, deletion and pool deletion") {
  Pool p;
  p.User("alice", {{"email", "alice@a.example"}, {"name", "Alice"}});
  p.User("bob", {{"email", "bob@b.example"}});
  // alice: email, name, cognito:user_status, status; bob: email, cognito:user_status, status.
  CHECK(p.f.SearchEntries() == 7);

  p.f.SetAttribute(p.pool, "alice", "email", "zed@z.example");
  CHECK(p.Names("email = \"alice@a.example\"").empty());
  CHECK(p.Names("email = \"zed@z.example\"") == json{"alice"});
  CHECK(p.Names("email ^= \"\"") == json{"bob", "alice"});
  CHECK(p.f.SearchEntries() == 7);

  p.f.SetAttribute(p.pool, "alice", "name", std::nullopt);
  CHECK(p.Names("name ^= \"\"").empty());
  CHECK(p.f.SearchEntries() == 6);
  p.f.SetAttribute(p.pool, "bob", "given_name", "Bobby");
  CHECK(p.Names("given_name = \"bobby\"") == json{"bob"});
  CHECK(p.f.SearchEntries() == 7);

  p.f.Ok("AdminDisableUser", {{"UserPoolId", p.pool}, {"Username", "alice"}});
  CHECK(p.Names("status = \"Disabled\"") == json{"alice"});
  CHECK(p.Names("status = \"Enabled\"") == json{"bob"});
  p.f.Ok("AdminEnableUser", {{"UserPoolId", p.pool}, {"Username", "alice"}});
  CHECK(p.Names("status = \"Disabled\"").empty());
  p.f.Ok("AdminSetUserPassword",
         {{"UserPoolId", p.pool}, {"Username", "bob"}, {"Password", "Passw0rd!"}, {"Permanent", true}});
  CHECK(p.Names("cognito:user_status = \"CONFIRMED\"") == json{"bob"});
  CHECK(p.Names("cognito:user_status = \"FORCE_CHANGE_PASSWORD\"") == json{"alice"});
  CHECK(p.f.SearchEntries() == 7);

  p.f.Ok("AdminDeleteUser", {{"UserPoolId", p.pool}, {"Username", "bob"}});
  CHECK(p.Names("given_name ^= \"\"").empty());
  CHECK(p.Names("email ^= \"\"") == json{"alice"});
  CHECK(p.f.SearchEntries() == 3);

  p.f.Ok("DeleteUserPool", {{"UserPoolId", p.pool}});
  CHECK(p.f.SearchEntries() == 0);
}

TEST_CASE("list users: long values are matched in full, not by their indexed part") {
  Pool p;
  const std::string stem(idp::kSearchValueBytes + 20, 'n');
  p.User("one", {{"name", stem + "1"}});
  p.User("two", {{"name", stem + "2"}});
  CHECK(p.Names("name = \"" + stem + "2\"") == json{"two"});
  CHECK(p.Names("name = \"" + stem + "\"").empty());
  CHECK(p.Names("name ^= \"" + stem + "\"") == json{"one", "two"});
  CHECK(p.Names("name ^= \"" + stem.substr(0, 10) + "\"") == json{"one", "two"});
}

TEST_CASE("list users: pages resume after the last user, whatever is added meanwhile") {
  Pool p;
  for (const char* n : {"b", "d", "f", "h"}) p.User(n, {{"email", std::string(n) + "@x.example"}});

  SUBCASE("unfiltered") {
    CallResult first = p.List({{"Limit", 2}});
    REQUIRE(first.ok());
    CHECK(first.body["Users"].size() == 2);
    const json token = first.body["PaginationToken"];
    p.User("a");  // before the position: not on later pages
    p.User("e");  // after it: listed
    CallResult second = p.List({{"Limit", 2}, {"PaginationToken", token}});
    REQUIRE(second.ok());
    CHECK(second.body["Users"][0]["Username"] == "e");
    CHECK(second.body["Users"][1]["Username"] == "f");
    CallResult third = p.List({{"Limit", 60}, {"PaginationToken", second.body["PaginationToken"]}});
    REQUIRE(third.ok());
    CHECK(third.body["Users"].size() == 1);
    CHECK(third.body["Users"][0]["Username"] == "h");
    CHECK_FALSE(third.body.contains("PaginationToken"));
  }
  SUBCASE("filtered, following every token") {
    p.User("c", {{"email", "c@x.example"}});
    CHECK(p.AllNames("email ^= \"\"", 2) == json{"b", "c", "d", "f", "h"});
    CHECK(p.AllNames("email ^= \"\"", 1) == json{"b", "c", "d", "f", "h"});
    CHECK(p.AllNames("", 5) == json{"b", "c", "d", "f", "h"});  // a full last page: no token
  }
  SUBCASE("a token belongs to its filter, its pool and its hour") {
    CallResult first = p.List({{"Limit", 1}, {"Filter", "email ^= \"\""}});
    REQUIRE(first.ok());
    const json token = first.body["PaginationToken"];
    // The same filter spelled differently, and another Limit or AttributesToGet, are fine.
    CHECK(p.List({{"Limit", 1}, {"Filter", "email^=\"\""}, {"PaginationToken", token}}).ok());
    CHECK(p.List({{"Filter", "email ^= \"\""}, {"AttributesToGet", {"email"}}, {"PaginationToken", token}}).ok());
    for (json other : {json{{"Filter", "email ^= \"b\""}}, json{{"Filter", "name ^= \"\""}}, json::object()}) {
      other["PaginationToken"] = token;
      CheckRefused(p.List(other), "InvalidParameterException", "Paging Marker is Invalid for Request");
    }
    const std::string other_pool = p.f.CreatePool();
    CheckRefused(
        p.f.Call("ListUsers", {{"UserPoolId", other_pool}, {"Filter", "email ^= \"\""}, {"PaginationToken", token}}),
        "InvalidParameterException", "Paging Marker is Invalid for Request");
    CheckRefused(p.List({{"PaginationToken", "garbage"}}), "InvalidParameterException",
                 "Paging Marker is Invalid for Request");
    p.f.clock().Advance(3599 * 1000);
    CHECK(p.List({{"Filter", "email ^= \"\""}, {"PaginationToken", token}}).ok());
    p.f.clock().Advance(1000);
    CheckRefused(p.List({{"Filter", "email ^= \"\""}, {"PaginationToken", token}}), "InvalidParameterException",
                 "Paging Marker is Invalid for Request");
  }
}

TEST_CASE("list users: Limit and AttributesToGet") {
  Pool p;
  p.User("alice", {{"email", "alice@a.example"}, {"given_name", "Alice"}});
  p.User("bob", {{"email", "bob@b.example"}});
  CHECK(p.Names("", {{"Limit", 1}}) == json{"alice"});
  CHECK(p.Names("", {{"Limit", 0}}) == json{"alice", "bob"});  // 0 is the default, 60

  CallResult all = p.List();
  REQUIRE(all.ok());
  const json& alice = all.body["Users"][0];
  CHECK(alice["Attributes"][0]["Name"] == "sub");
  CHECK(alice["Attributes"].size() == 3);
  for (const char* member : {"Username", "UserCreateDate", "UserLastModifiedDate", "Enabled", "UserStatus"}) {
    CHECK(alice.contains(member));
  }

  CallResult emails = p.List({{"AttributesToGet", {"email"}}});
  REQUIRE(emails.ok());
  CHECK(emails.body["Users"][0]["Attributes"] == json::parse(R"([{"Name":"email","Value":"alice@a.example"}])"));
  CHECK(emails.body["Users"][1]["Attributes"] == json::parse(R"([{"Name":"email","Value":"bob@b.example"}])"));

  CallResult none = p.List({{"AttributesToGet", json::array()}});
  REQUIRE(none.ok());
  CHECK_FALSE(none.body["Users"][0].contains("Attributes"));
  CHECK(none.body["Users"][0]["Username"] == "alice");

  // A user in the results without the attribute: refused, as the model documents.
  CheckRefused(p.List({{"AttributesToGet", {"given_name"}}}), "InvalidParameterException",
               "One or more requested attributes do not exist.");
  CHECK(p.List({{"AttributesToGet", {"given_name"}}, {"Filter", "given_name ^= \"\""}}).ok());
  CheckRefused(p.List({{"AttributesToGet", {"custom:nope"}}}), "InvalidParameterException",
               "One or more requested attributes do not exist.");
  CheckRefused(p.List({{"AttributesToGet", {"email", "sub"}}}), "InvalidParameterException",
               "Input fails to satisfy the constraints.");
}

TEST_CASE("list users: a store without the search index gets it at start-up, once") {
  Pool p(json{{"UsernameConfiguration", {{"CaseSensitive", false}}}});
  p.User("Alice", {{"email", "alice@a.example"}});
  p.User("bob", {{"email", "bob@b.example"}, {"name", "Bob"}});
  const std::string second = p.f.CreatePool();  // a case-sensitive pool in the same store
  p.f.Ok("AdminCreateUser", {{"UserPoolId", second}, {"Username", "Carol"}, {"MessageAction", "SUPPRESS"}});
  const size_t entries = p.f.SearchEntries();
  CHECK(entries == 9);  // Alice 3, bob 4, Carol 2 (status and cognito:user_status each)
  CHECK(p.f.Backfill() == 0);  // already indexed: nothing to do
  p.f.DropSearchIndex();
  CHECK(p.Names("email ^= \"\"").empty());
  CHECK(p.f.Backfill() == 3);
  CHECK(p.f.SearchEntries() == entries);
  CallResult carol = p.f.Call("ListUsers", {{"UserPoolId", second}, {"Filter", "status = \"Enabled\""}});
  REQUIRE(carol.ok());
  CHECK(carol.body["Users"].size() == 1);
  CHECK(p.Names("email ^= \"\"") == json{"Alice", "bob"});
  CHECK(p.Names("name = \"BOB\"") == json{"bob"});
  p.f.Ok("AdminDeleteUser", {{"UserPoolId", p.pool}, {"Username", "alice"}});  // entries keyed as PutUser keys them
  CHECK(p.f.SearchEntries() == 6);
  CHECK(p.f.Backfill() == 0);
}

}  // namespace
}  // namespace cogemu::testing
