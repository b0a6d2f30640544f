// USER_SRP_AUTH through the dispatcher: the proof, its timestamp, single use, the lockout,
// unknown users, and challenge sessions bound to the user's password.
#include <doctest/doctest.h>

#include "emulator/crypto/password.h"
#include "emulator/crypto/srp.h"
#include "tests/unit/support/emulator_fixture.h"
#include "tests/unit/support/srp_client.h"

namespace cogemu::testing {
namespace {

const char* kPassword = "Passw0rd!";
constexpr int64_t kNow = 1767225600;  // the fixture's clock: 2026-01-01T00:00:00Z

struct SrpPool {
  EmulatorFixture f;
  SeededRandom random{99};
  std::string pool;
  std::string pool_name;
  std::string client_id;
  explicit SrpPool(json pool_input = json::object(), json client_input = json::object()) {
    pool = f.CreatePool(pool_input);
    pool_name = pool.substr(pool.find('_') + 1);
    client_input["ExplicitAuthFlows"] = {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"};
    client_id = f.CreateClient(pool, client_input)["ClientId"];
  }
  CallResult Initiate(const SrpClient& c, const std::string& username, json extra = json::object()) {
    extra["USERNAME"] = username;
    extra["SRP_A"] = c.A_hex;
    return f.Call("InitiateAuth", {{"ClientId", client_id}, {"AuthFlow", "USER_SRP_AUTH"}, {"AuthParameters", extra}});
  }
  CallResult Answer(const json& challenge, json responses, bool with_session = true) {
    json in = {{"ClientId", client_id}, {"ChallengeName", "PASSWORD_VERIFIER"}, {"ChallengeResponses", responses}};
    if (with_session) in["Session"] = challenge["Session"];
    return f.Call("RespondToAuthChallenge", in);
  }
  json Proof(const SrpClient& c, const json& challenge, const std::string& password,
             const std::string& timestamp = crypto::srp::FormatTimestamp(kNow)) {
    const json& p = challenge["ChallengeParameters"];
    const std::string user_id = p["USER_ID_FOR_SRP"];
    return {{"USERNAME", user_id},
            {"PASSWORD_CLAIM_SECRET_BLOCK", p["SECRET_BLOCK"]},
            {"TIMESTAMP", timestamp},
            {"PASSWORD_CLAIM_SIGNATURE", c.Signature(p, pool_name, user_id, password, timestamp)}};
  }
  // The whole exchange; returns the answer to the proof (or InitiateAuth's error).
  CallResult SignIn(const std::string& username, const std::string& password) {
    SrpClient c(random);
    CallResult challenge = Initiate(c, username);
    if (!challenge.ok()) return challenge;
    return Answer(challenge.body, Proof(c, challenge.body, password));
  }
};

TEST_CASE("srp sign-in: PASSWORD_VERIFIER as AWS sends it, then tokens for the right proof") {
  SrpPool s;
  s.f.CreateConfirmedUser(s.pool, "alice", kPassword);
  SrpClient c(s.random);
  CallResult challenge = s.Initiate(c, "alice");
  REQUIRE(challenge.ok());
  CHECK(challenge.body["ChallengeName"] == "PASSWORD_VERIFIER");
  const json& p = challenge.body["ChallengeParameters"];
  CHECK(p["USER_ID_FOR_SRP"] == "alice");
  CHECK(p["USERNAME"] == "alice");
  CHECK(p["SALT"].get<std::string>().size() <= 32);
  CHECK(crypto::srp::FromHex(p["SRP_B"].get<std::string>()));
  CHECK(crypto::Base64Decode(p["SECRET_BLOCK"].get<std::string>()));
  CHECK(challenge.body["Session"].get<std::string>().size() >= 20);

  CallResult done = s.Answer(challenge.body, s.Proof(c, challenge.body, kPassword));
  REQUIRE(done.ok());
  const json claims = EmulatorFixture::Claims(done.body["AuthenticationResult"]["AccessToken"]);
  CHECK(claims["username"] == "alice");
  CHECK(claims["auth_time"] == kNow);
  CHECK_FALSE(done.body["AuthenticationResult"].contains("NewDeviceMetadata"));  // no device tracking
}

TEST_CASE("srp sign-in: the secret block alone names the session; Session, when sent, must match it") {
  SrpPool s;
  s.f.CreateConfirmedUser(s.pool, "alice", kPassword);
  SrpClient c(s.random);
  CallResult first = s.Initiate(c, "alice");
  CHECK(s.Answer(first.body, s.Proof(c, first.body, kPassword), false).ok());
  SrpClient d(s.random);
  CallResult second = s.Initiate(d, "alice");
  CallResult other = s.Initiate(d, "alice");
  json mixed = second.body;
  mixed["Session"] = other.body["Session"];
  CallResult r = s.Answer(mixed, s.Proof(d, second.body, kPassword));
  CHECK(r.type() == "NotAuthorizedException");
  CHECK(r.message() == "Invalid session for the user.");
}

TEST_CASE("srp sign-in: a wrong password is refused, counted, and the secret block used up") {
  SrpPool s;
  s.f.CreateConfirmedUser(s.pool, "bob", kPassword);
  SrpClient c(s.random);
  CallResult challenge = s.Initiate(c, "bob");
  const json wrong = s.Proof(c, challenge.body, "Wrong-passw0rd");
  CallResult r = s.Answer(challenge.body, wrong);
  CHECK(r.type() == "NotAuthorizedException");
  CHECK(r.message() == "Incorrect username or password.");
  CallResult again = s.Answer(challenge.body, s.Proof(c, challenge.body, kPassword));
  CHECK(again.message() == "Invalid session for the user, session can only be used once.");

  // Four more wrong proofs make five failures: the next sign-in, right or wrong, is locked.
  for (int i = 0; i < 4; ++i) CHECK(s.SignIn("bob", "Wrong-passw0rd").message() == "Incorrect username or password.");
  CallResult locked = s.SignIn("bob", kPassword);
  CHECK(locked.message() == "Password attempts exceeded");
  s.f.clock().Advance(2000);  // the first lock lasts 1 s
  CHECK(s.SignIn("bob", kPassword).ok());
}

TEST_CASE("srp sign-in: TIMESTAMP in AWS's format, within --max-clock-skew of the emulator clock") {
  SrpPool s;
  s.f.CreateConfirmedUser(s.pool, "cara", kPassword);
  auto with_timestamp = [&](const std::string& ts) {
    SrpClient c(s.random);
    CallResult challenge = s.Initiate(c, "cara");
    return s.Answer(challenge.body, s.Proof(c, challenge.body, kPassword, ts));
  };
  CHECK(with_timestamp("Thu Jan 1 00:00:00 UTC 2026").ok());
  CHECK(with_timestamp("Thu Jan 01 00:04:59 UTC 2026").ok());  // a zero-padded day is accepted
  CHECK(with_timestamp("Wed Dec 31 23:55:01 UTC 2025").ok());
  CHECK(with_timestamp("Thu Jan 1 00:05:01 UTC 2026").message() == "Incorrect username or password.");
  CHECK(with_timestamp("2026-01-01T00:00:00Z").message() == "Incorrect username or password.");
  s.f.config().max_clock_skew = 0;  // off
  CHECK(with_timestamp("Sat Jan 1 00:00:00 UTC 2000").ok());
}

TEST_CASE("srp sign-in: a zero A is refused; so is a missing SRP_A") {
  SrpPool s;
  s.f.CreateConfirmedUser(s.pool, "dan", kPassword);
  const std::string n_hex =
      crypto::srp::ToHex(crypto::srp::client::A(std::string(1, '\0')) /* g^0 = 1 */);
  CHECK(n_hex == "1");
  auto initiate = [&](json params) {
    params["USERNAME"] = "dan";
    return s.f.Call("InitiateAuth", {{"ClientId", s.client_id}, {"AuthFlow", "USER_SRP_AUTH"}, {"AuthParameters", params}});
  };
  CHECK(initiate({{"SRP_A", "0"}}).type() == "InvalidParameterException");
  CHECK(initiate({{"SRP_A", "xyz"}}).type() == "InvalidParameterException");
  CHECK(initiate(json::object()).message() == "Missing required parameter SRP_A");
}

TEST_CASE("srp sign-in: unknown users per PreventUserExistenceErrors") {
  SrpPool legacy;
  SrpClient c(legacy.random);
  CallResult r = legacy.Initiate(c, "nobody");
  CHECK(r.type() == "UserNotFoundException");
  CHECK(r.message() == "User does not exist.");

  SrpPool hiding(json::object(), {{"PreventUserExistenceErrors", "ENABLED"}});
  CallResult a = hiding.Initiate(c, "nobody");
  CallResult b = hiding.Initiate(c, "nobody");
  CallResult other = hiding.Initiate(c, "somebody");
  REQUIRE(a.ok());
  CHECK(a.body["ChallengeName"] == "PASSWORD_VERIFIER");
  // Stable per name, different between names: nothing tells it from a real user.
  CHECK(a.body["ChallengeParameters"]["SALT"] == b.body["ChallengeParameters"]["SALT"]);
  CHECK(a.body["ChallengeParameters"]["SALT"] != other.body["ChallengeParameters"]["SALT"]);
  CHECK(a.body["ChallengeParameters"]["USER_ID_FOR_SRP"] == "nobody");
  CHECK(hiding.Answer(a.body, hiding.Proof(c, a.body, kPassword)).message() == "Incorrect username or password.");
}

TEST_CASE("srp sign-in: e-mail as username: USER_ID_FOR_SRP is the sub, and the proof is made over it") {
  SrpPool s(json{{"UsernameAttributes", {"email"}}});
  s.f.Ok("AdminCreateUser", {{"UserPoolId", s.pool}, {"Username", "erin@example.com"}, {"MessageAction", "SUPPRESS"}});
  s.f.Ok("AdminSetUserPassword",
         {{"UserPoolId", s.pool}, {"Username", "erin@example.com"}, {"Password", kPassword}, {"Permanent", true}});
  const std::string sub = s.f.Ok("AdminGetUser", {{"UserPoolId", s.pool}, {"Username", "erin@example.com"}})["Username"];
  SrpClient c(s.random);
  CallResult challenge = s.Initiate(c, "erin@example.com");
  REQUIRE(challenge.ok());
  CHECK(challenge.body["ChallengeParameters"]["USER_ID_FOR_SRP"] == sub);
  CHECK(s.Answer(challenge.body, s.Proof(c, challenge.body, kPassword)).ok());
}

TEST_CASE("srp sign-in: FORCE_CHANGE_PASSWORD gets NEW_PASSWORD_REQUIRED after the proof") {
  SrpPool s;
  s.f.Ok("AdminCreateUser", {{"UserPoolId", s.pool}, {"Username", "fred"}, {"TemporaryPassword", "Temp0rary!"},
                             {"MessageAction", "SUPPRESS"}});
  CallResult r = s.SignIn("fred", "Temp0rary!");
  REQUIRE(r.ok());
  CHECK(r.body["ChallengeName"] == "NEW_PASSWORD_REQUIRED");
  CallResult done = s.f.Call("RespondToAuthChallenge",
                             {{"ClientId", s.client_id},
                              {"ChallengeName", "NEW_PASSWORD_REQUIRED"},
                              {"Session", r.body["Session"]},
                              {"ChallengeResponses", {{"USERNAME", "fred"}, {"NEW_PASSWORD", "N3w-password"}}}});
  REQUIRE(done.ok());
  CHECK(done.body["AuthenticationResult"].contains("AccessToken"));
  CHECK(s.SignIn("fred", "N3w-password").ok());  // the new password's verifier is stored
}

TEST_CASE("srp sign-in: a SECRET_HASH over USER_ID_FOR_SRP on both steps for a client with a secret") {
  SrpPool s(json::object(), {{"GenerateSecret", true}});
  s.f.CreateConfirmedUser(s.pool, "gus", kPassword);
  const json client = s.f.Ok("DescribeUserPoolClient", {{"UserPoolId", s.pool}, {"ClientId", s.client_id}});
  const std::string secret = client["UserPoolClient"]["ClientSecret"];
  const std::string hash = crypto::SecretHash(secret, "gus", s.client_id);
  SrpClient c(s.random);
  CHECK(s.Initiate(c, "gus").message() ==
        "Client " + s.client_id + " is configured with secret but SECRET_HASH was not received");
  CallResult challenge = s.Initiate(c, "gus", {{"SECRET_HASH", hash}});
  REQUIRE(challenge.ok());
  json proof = s.Proof(c, challenge.body, kPassword);
  CHECK(s.Answer(challenge.body, proof).message() ==
        "Client " + s.client_id + " is configured with secret but SECRET_HASH was not received");
  proof["SECRET_HASH"] = hash;
  CHECK(s.Answer(challenge.body, proof).ok());
}

TEST_CASE("challenge sessions die with the user's password and with the user") {
  SrpPool s;
  auto temp_user = [&](const std::string& name) {
    s.f.Ok("AdminCreateUser", {{"UserPoolId", s.pool}, {"Username", name}, {"TemporaryPassword", "Temp0rary!"},
                               {"MessageAction", "SUPPRESS"}});
  };
  auto answer = [&](const json& challenge, const std::string& name) {
    return s.f.Call("RespondToAuthChallenge",
                    {{"ClientId", s.client_id},
                     {"ChallengeName", "NEW_PASSWORD_REQUIRED"},
                     {"Session", challenge["Session"]},
                     {"ChallengeResponses", {{"USERNAME", name}, {"NEW_PASSWORD", "N3w-password"}}}});
  };
  temp_user("hal");
  CallResult first = s.SignIn("hal", "Temp0rary!");
  s.f.Ok("AdminSetUserPassword",
         {{"UserPoolId", s.pool}, {"Username", "hal"}, {"Password", "Another-0ne"}, {"Permanent", false}});
  CHECK(answer(first.body, "hal").message() == "Invalid session for the user.");

  temp_user("ida");
  CallResult second = s.SignIn("ida", "Temp0rary!");
  s.f.Ok("AdminDeleteUser", {{"UserPoolId", s.pool}, {"Username", "ida"}});
  temp_user("ida");
  CHECK(answer(second.body, "ida").message() == "Invalid session for the user.");
}

TEST_CASE("srp sign-in works on a durable store, where writes go through the group-commit queue") {
  EmulatorFixture f(1234, true);
  SeededRandom random(5);
  const std::string pool = f.CreatePool();
  const std::string client_id =
      f.CreateClient(pool, {{"ExplicitAuthFlows", {"ALLOW_USER_SRP_AUTH"}}})["ClientId"];
  f.CreateConfirmedUser(pool, "jan", kPassword);
  SrpClient c(random);
  CallResult challenge = f.Call("InitiateAuth", {{"ClientId", client_id},
                                                 {"AuthFlow", "USER_SRP_AUTH"},
                                                 {"AuthParameters", {{"USERNAME", "jan"}, {"SRP_A", c.A_hex}}}});
  REQUIRE(challenge.ok());
  const json& p = challenge.body["ChallengeParameters"];
  const std::string pool_name = pool.substr(pool.find('_') + 1);
  const std::string ts = crypto::srp::FormatTimestamp(kNow);
  CallResult done = f.Call("RespondToAuthChallenge",
                           {{"ClientId", client_id},
                            {"ChallengeName", "PASSWORD_VERIFIER"},
                            {"ChallengeResponses",
                             {{"USERNAME", "jan"},
                              {"PASSWORD_CLAIM_SECRET_BLOCK", p["SECRET_BLOCK"]},
                              {"TIMESTAMP", ts},
                              {"PASSWORD_CLAIM_SIGNATURE", c.Signature(p, pool_name, "jan", kPassword, ts)}}}});
  CHECK(done.ok());
}

}  // namespace
}  // namespace cogemu::testing
