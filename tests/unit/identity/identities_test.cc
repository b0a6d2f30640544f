// Identity pools through the dispatcher: deterministic IDs, the login index through link, merge
// and delete, and what DeleteIdentityPool leaves behind.
#include <doctest/doctest.h>

#include <regex>
#include <string>

#include "emulator/api/history.h"
#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::identity {
namespace {

using testing::EmulatorFixture;
using json = nlohmann::json;

constexpr const char* kPassword = "Passw0rd!";

struct World {
  EmulatorFixture f;
  std::string user_pool, client, provider, identity_pool;
  explicit World(uint64_t seed = 1234) : f(seed) {
    user_pool = f.CreatePool();
    client = f.CreateClient(user_pool)["ClientId"];
    provider = "cognito-idp.us-east-1.amazonaws.com/" + user_pool;
    identity_pool =
        Ok("CreateIdentityPool", {{"IdentityPoolName", "ip"},
                                  {"AllowUnauthenticatedIdentities", true},
                                  {"CognitoIdentityProviders",
                                   {{{"ProviderName", provider}, {"ClientId", client}}}}})["IdentityPoolId"];
    Ok("SetIdentityPoolRoles",
       {{"IdentityPoolId", identity_pool},
        {"Roles",
         {{"authenticated", "arn:aws:iam::1:role/a"}, {"unauthenticated", "arn:aws:iam::1:role/u"}}}});
  }
  json Ok(const std::string& op, const json& in) {
    auto r = f.Call(op, in, true);
    INFO(op << " -> " << r.body.dump());
    REQUIRE(r.ok());
    return r.body;
  }
  std::string IdToken(const std::string& username) {
    f.CreateConfirmedUser(user_pool, username, kPassword);
    auto r = f.PasswordAuth(client, username, kPassword);
    REQUIRE(r.ok());
    return r.body["AuthenticationResult"]["IdToken"];
  }
  size_t Count(store::Table t) {
    store::Txn txn(f.env(), store::Txn::Mode::kRead);
    return txn.Count(t, "");
  }
};

const std::regex kRegionalId("us-east-1:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST_CASE("identity: pool and identity ids are <region>:<uuid v4> from the seeded random") {
  World a(42), b(42), c(43);
  CHECK(std::regex_match(a.identity_pool, kRegionalId));
  CHECK(a.identity_pool == b.identity_pool);
  CHECK(a.identity_pool != c.identity_pool);
  const std::string ia = a.Ok("GetId", {{"IdentityPoolId", a.identity_pool}})["IdentityId"];
  const std::string ib = b.Ok("GetId", {{"IdentityPoolId", b.identity_pool}})["IdentityId"];
  CHECK(std::regex_match(ia, kRegionalId));
  CHECK(ia == ib);
}

TEST_CASE("identity: the login index follows linking, merging and deletion") {
  World w;
  const std::string token = w.IdToken("alice");
  const std::string guest = w.Ok("GetId", {{"IdentityPoolId", w.identity_pool}})["IdentityId"];
  CHECK(w.Count(store::Table::kIdentityLogins) == 0);
  // The guest signs in: its login is linked, one index entry.
  auto creds = w.Ok("GetCredentialsForIdentity", {{"IdentityId", guest}, {"Logins", {{w.provider, token}}}});
  CHECK(creds["IdentityId"] == guest);
  CHECK(w.Count(store::Table::kIdentityLogins) == 1);
  CHECK(w.Count(store::Table::kIssuedCredentials) == 1);
  // A second guest that presents the same login is merged into the first.
  const std::string guest2 = w.Ok("GetId", {{"IdentityPoolId", w.identity_pool}})["IdentityId"];
  auto merged =
      w.Ok("GetCredentialsForIdentity", {{"IdentityId", guest2}, {"Logins", {{w.provider, token}}}});
  CHECK(merged["IdentityId"] == guest);
  CHECK(w.Count(store::Table::kIdentityLogins) == 1);
  auto described = w.Ok("DescribeIdentity", {{"IdentityId", guest2}});
  CHECK(described["Logins"].empty());
  // Deleting the identity frees the login and drops its credentials.
  w.Ok("DeleteIdentities", {{"IdentityIdsToDelete", {guest}}});
  CHECK(w.Count(store::Table::kIdentityLogins) == 0);
  CHECK(w.Count(store::Table::kIssuedCredentials) == 0);
  const std::string fresh =
      w.Ok("GetId", {{"IdentityPoolId", w.identity_pool}, {"Logins", {{w.provider, token}}}})["IdentityId"];
  CHECK(fresh != guest);
}

TEST_CASE("identity: DeleteIdentityPool leaves nothing behind") {
  World w;
  const std::string token = w.IdToken("bob");
  const std::string id =
      w.Ok("GetId", {{"IdentityPoolId", w.identity_pool}, {"Logins", {{w.provider, token}}}})["IdentityId"];
  w.Ok("GetCredentialsForIdentity", {{"IdentityId", id}, {"Logins", {{w.provider, token}}}});
  w.Ok("GetId", {{"IdentityPoolId", w.identity_pool}});
  w.Ok("DeleteIdentityPool", {{"IdentityPoolId", w.identity_pool}});
  for (store::Table t :
       {store::Table::kIdentityPools, store::Table::kIdentities, store::Table::kPoolIdentities,
        store::Table::kIdentityLogins, store::Table::kIssuedCredentials}) {
    CHECK(w.Count(t) == 0);
  }
}

TEST_CASE("identity: credentials expire an hour after the emulator clock's now") {
  World w;
  const std::string id = w.Ok("GetId", {{"IdentityPoolId", w.identity_pool}})["IdentityId"];
  auto r = w.Ok("GetCredentialsForIdentity", {{"IdentityId", id}});
  CHECK(r["Credentials"]["Expiration"].get<int64_t>() == w.f.clock().NowSeconds() + 3600);
  CHECK(std::regex_match(r["Credentials"]["AccessKeyId"].get<std::string>(), std::regex("ASIA[A-Z0-9]{16}")));
  CHECK(r["Credentials"]["SecretKey"].get<std::string>().size() == 40);
}

TEST_CASE("identity: the request history hides login tokens, OpenID tokens and credentials") {
  const json in = {{"IdentityPoolId", "us-east-1:x"},
                   {"Logins", {{"accounts.google.com", "eyJ..."}, {"dev", "user-1"}}}};
  const json out = {{"IdentityId", "us-east-1:y"},
                    {"Token", "eyJ..."},
                    {"Credentials", {{"AccessKeyId", "ASIA"}, {"SecretKey", "s"}, {"SessionToken", "t"}}}};
  CHECK(
      api::RequestHistory::Redact(in) ==
      json{{"IdentityPoolId", "us-east-1:x"}, {"Logins", {{"accounts.google.com", "***"}, {"dev", "***"}}}});
  const json redacted = api::RequestHistory::Redact(out);
  CHECK(redacted["Token"] == "***");
  CHECK(redacted["Credentials"]["SecretKey"] == "***");
  CHECK(redacted["Credentials"]["SessionToken"] == "***");
  CHECK(redacted["Credentials"]["AccessKeyId"] == "ASIA");
}

}  // namespace
}  // namespace cogemu::identity
