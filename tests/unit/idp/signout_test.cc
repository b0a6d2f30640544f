// GlobalSignOut, AdminUserGlobalSignOut, RevokeToken and AdminDisableUser's token revocation.
#include <doctest/doctest.h>

#include "tests/unit/support/emulator_fixture.h"

using cogemu::testing::CallResult;
using cogemu::testing::EmulatorFixture;
using json = nlohmann::json;

namespace {

constexpr const char* kPassword = "Passw0rd!";

struct Session {
  EmulatorFixture f;
  std::string pool;
  json client;
  std::string client_id;

  explicit Session(json client_extra = json::object()) {
    pool = f.CreatePool();
    client = f.CreateClient(pool, client_extra);
    client_id = client["ClientId"];
    f.CreateConfirmedUser(pool, "alice", kPassword);
  }
  json SignIn() {
    CallResult r = f.PasswordAuth(client_id, "alice", kPassword);
    REQUIRE(r.ok());
    return r.body["AuthenticationResult"];
  }
  CallResult Refresh(const std::string& token) {
    return f.Call("InitiateAuth", {{"ClientId", client_id},
                                   {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                   {"AuthParameters", {{"REFRESH_TOKEN", token}}}});
  }
  CallResult GetUser(const std::string& access) { return f.Call("GetUser", {{"AccessToken", access}}); }
};

void CheckRevoked(const CallResult& r, const std::string& message) {
  INFO(r.body.dump());
  CHECK(r.type() == "NotAuthorizedException");
  CHECK(r.message() == message);
}

}  // namespace

TEST_CASE("signout: GlobalSignOut revokes the access and refresh tokens issued so far") {
  Session s;
  json a = s.SignIn();
  json b = s.SignIn();
  s.f.Ok("GlobalSignOut", {{"AccessToken", a["AccessToken"]}});
  CheckRevoked(s.GetUser(a["AccessToken"]), "Access Token has been revoked");
  CheckRevoked(s.GetUser(b["AccessToken"]), "Access Token has been revoked");
  CheckRevoked(s.f.Call("GlobalSignOut", {{"AccessToken", a["AccessToken"]}}), "Access Token has been revoked");
  CheckRevoked(s.f.Call("DeleteUser", {{"AccessToken", b["AccessToken"]}}), "Access Token has been revoked");
  CheckRevoked(s.Refresh(a["RefreshToken"]), "Refresh Token has been revoked");
  CheckRevoked(s.Refresh(b["RefreshToken"]), "Refresh Token has been revoked");

  // Expiry is checked before revocation.
  s.f.clock().Advance(3601 * 1000);
  CheckRevoked(s.GetUser(a["AccessToken"]), "Access Token has expired");

  // A later sign-in works, and so do its refreshes.
  json c = s.SignIn();
  CHECK(s.GetUser(c["AccessToken"]).ok());
  CallResult refreshed = s.Refresh(c["RefreshToken"]);
  REQUIRE(refreshed.ok());
  s.f.clock().Advance(1000);
  CHECK(s.GetUser(refreshed.body["AuthenticationResult"]["AccessToken"]).ok());
}

TEST_CASE("signout: AdminUserGlobalSignOut") {
  Session s;
  json a = s.SignIn();
  s.f.Ok("AdminUserGlobalSignOut", {{"UserPoolId", s.pool}, {"Username", "alice"}});
  CheckRevoked(s.GetUser(a["AccessToken"]), "Access Token has been revoked");
  CheckRevoked(s.Refresh(a["RefreshToken"]), "Refresh Token has been revoked");
  s.f.clock().Advance(1000);
  json b = s.SignIn();
  CHECK(s.GetUser(b["AccessToken"]).ok());
  CHECK(s.Refresh(b["RefreshToken"]).ok());

  CallResult unknown = s.f.Call("AdminUserGlobalSignOut", {{"UserPoolId", s.pool}, {"Username", "nobody"}});
  CHECK(unknown.type() == "UserNotFoundException");
  CHECK(unknown.message() == "User does not exist.");
  CallResult no_pool = s.f.Call("AdminUserGlobalSignOut", {{"UserPoolId", "us-east-1_nopool"}, {"Username", "alice"}});
  CHECK(no_pool.type() == "ResourceNotFoundException");
  CHECK(no_pool.message() == "User pool us-east-1_nopool does not exist.");
}

TEST_CASE("signout: AdminDisableUser revokes the access tokens issued so far") {
  Session s;
  json a = s.SignIn();
  s.f.Ok("AdminDisableUser", {{"UserPoolId", s.pool}, {"Username", "alice"}});
  CheckRevoked(s.GetUser(a["AccessToken"]), "User is disabled.");
  s.f.Ok("AdminEnableUser", {{"UserPoolId", s.pool}, {"Username", "alice"}});
  CheckRevoked(s.GetUser(a["AccessToken"]), "Access Token has been revoked");
  s.f.clock().Advance(1000);
  json b = s.SignIn();
  CHECK(s.GetUser(b["AccessToken"]).ok());
}

TEST_CASE("signout: RevokeToken revokes the refresh token and its sign-in's access tokens only") {
  Session s;
  json a = s.SignIn();
  json b = s.SignIn();
  CallResult refreshed = s.Refresh(a["RefreshToken"]);
  REQUIRE(refreshed.ok());
  const std::string a2 = refreshed.body["AuthenticationResult"]["AccessToken"];

  s.f.Ok("RevokeToken", {{"ClientId", s.client_id}, {"Token", a["RefreshToken"]}});
  CheckRevoked(s.Refresh(a["RefreshToken"]), "Refresh Token has been revoked");
  CheckRevoked(s.GetUser(a["AccessToken"]), "Access Token has been revoked");
  CheckRevoked(s.GetUser(a2), "Access Token has been revoked");
  // The other sign-in is untouched.
  CHECK(s.GetUser(b["AccessToken"]).ok());
  CHECK(s.Refresh(b["RefreshToken"]).ok());

  // Revoking again, or an unknown token, succeeds.
  s.f.Ok("RevokeToken", {{"ClientId", s.client_id}, {"Token", a["RefreshToken"]}});
  s.f.Ok("RevokeToken", {{"ClientId", s.client_id}, {"Token", "not-a-token"}});

  // Another client of the pool may not revoke it.
  json other = s.f.CreateClient(s.pool);
  CallResult foreign = s.f.Call("RevokeToken", {{"ClientId", other["ClientId"]}, {"Token", b["RefreshToken"]}});
  CHECK(foreign.type() == "UnauthorizedException");
  CHECK(foreign.message() == "Invalid Refresh Token.");
  CHECK(s.Refresh(b["RefreshToken"]).ok());

  CallResult unknown_client = s.f.Call("RevokeToken", {{"ClientId", "nosuchclient"}, {"Token", "x"}});
  CHECK(unknown_client.type() == "ResourceNotFoundException");
}

TEST_CASE("signout: RevokeToken with a secret client, and with revocation disabled") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool();
  json client = f.CreateClient(pool, {{"GenerateSecret", true}});
  const std::string id = client["ClientId"];
  const std::string secret = client["ClientSecret"];
  CallResult missing = f.Call("RevokeToken", {{"ClientId", id}, {"Token", "x"}});
  CHECK(missing.type() == "UnauthorizedException");
  CHECK(missing.message() == "Client " + id + " is configured with secret but ClientSecret was not received");
  CallResult wrong = f.Call("RevokeToken", {{"ClientId", id}, {"Token", "x"}, {"ClientSecret", std::string(40, 'a')}});
  CHECK(wrong.type() == "UnauthorizedException");
  CHECK(wrong.message() == "Unable to verify secret for client " + id);
  f.Ok("RevokeToken", {{"ClientId", id}, {"Token", "x"}, {"ClientSecret", secret}});

  json plain = f.CreateClient(pool, {{"EnableTokenRevocation", false}});
  CallResult disabled = f.Call("RevokeToken", {{"ClientId", plain["ClientId"]}, {"Token", "x"}});
  CHECK(disabled.type() == "UnsupportedOperationException");
  CHECK(disabled.message() == "Token revocation is not enabled for this client");
}

TEST_CASE("signout: refresh records without Issued count as issued at AuthTime; new ones carry it") {
  Session s;
  json a = s.SignIn();
  // A refresh token issued after a sign-out in a later second still works.
  s.f.Ok("AdminUserGlobalSignOut", {{"UserPoolId", s.pool}, {"Username", "alice"}});
  s.f.clock().Advance(1000);
  json b = s.SignIn();
  CHECK(s.Refresh(b["RefreshToken"]).ok());
  CheckRevoked(s.Refresh(a["RefreshToken"]), "Refresh Token has been revoked");
}

namespace cogemu::testing {
namespace {

TEST_CASE("signout: a sign-in in the same second as a global sign-out stays valid") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool();
  const std::string client_id = f.CreateClient(pool)["ClientId"];
  f.CreateConfirmedUser(pool, "quick", "Passw0rd!");
  json before = f.PasswordAuth(client_id, "quick", "Passw0rd!").body["AuthenticationResult"];
  f.Ok("GlobalSignOut", {{"AccessToken", before["AccessToken"]}});
  f.clock().Advance(10);  // 10 ms later, same second
  json after = f.PasswordAuth(client_id, "quick", "Passw0rd!").body["AuthenticationResult"];
  CHECK(f.Call("GetUser", {{"AccessToken", before["AccessToken"]}}).message() == "Access Token has been revoked");
  CHECK(f.Call("GetUser", {{"AccessToken", after["AccessToken"]}}).ok());
  CallResult refreshed = f.Call("InitiateAuth", {{"ClientId", client_id},
                                                 {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                                 {"AuthParameters", {{"REFRESH_TOKEN", after["RefreshToken"]}}}});
  REQUIRE(refreshed.ok());
  CHECK(f.Call("GetUser", {{"AccessToken", refreshed.body["AuthenticationResult"]["AccessToken"]}}).ok());
  CallResult old_refresh = f.Call("InitiateAuth", {{"ClientId", client_id},
                                                   {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                                   {"AuthParameters", {{"REFRESH_TOKEN", before["RefreshToken"]}}}});
  CHECK(old_refresh.message() == "Refresh Token has been revoked");
}

}  // namespace
}  // namespace cogemu::testing
