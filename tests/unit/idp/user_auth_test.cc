// Choice-based sign-in (USER_AUTH) and refresh (GetTokensFromRefreshToken, RefreshTokenRotation).
#include <doctest/doctest.h>

#include "emulator/crypto/password.h"
#include "emulator/crypto/srp.h"
#include "tests/unit/support/emulator_fixture.h"
#include "tests/unit/support/srp_client.h"

namespace cogemu::testing {
namespace {

const char* kPassword = "Passw0rd!";

struct ChoicePool {
  EmulatorFixture f;
  SeededRandom random{11};
  std::string pool;
  std::string client_id;
  explicit ChoicePool(json factors = {"PASSWORD", "EMAIL_OTP", "SMS_OTP"}, json pool_input = json::object()) {
    pool_input["Policies"] = {{"SignInPolicy", {{"AllowedFirstAuthFactors", factors}}}};
    pool = f.CreatePool(pool_input);
    client_id = f.CreateClient(pool, {{"ExplicitAuthFlows", {"ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}})["ClientId"];
    f.CreateConfirmedUser(pool, "lena", kPassword,
                          {{{"Name", "email"}, {"Value", "lena@example.com"}}, {{"Name", "email_verified"}, {"Value", "true"}},
                           {{"Name", "phone_number"}, {"Value", "+15555550123"}}});
  }
  CallResult Initiate(json params) {
    if (!params.contains("USERNAME")) params["USERNAME"] = "lena";
    return f.Call("InitiateAuth", {{"ClientId", client_id}, {"AuthFlow", "USER_AUTH"}, {"AuthParameters", params}});
  }
  CallResult Answer(const json& challenge, json responses) {
    if (!responses.contains("USERNAME")) responses["USERNAME"] = "lena";
    return f.Call("RespondToAuthChallenge", {{"ClientId", client_id},
                                             {"ChallengeName", challenge["ChallengeName"]},
                                             {"Session", challenge["Session"]},
                                             {"ChallengeResponses", responses}});
  }
};

TEST_CASE("user auth: without a preference, SELECT_CHALLENGE lists what this user can use first") {
  ChoicePool s;
  CallResult r = s.Initiate(json::object());
  REQUIRE(r.ok());
  CHECK(r.body["ChallengeName"] == "SELECT_CHALLENGE");
  // SMS_OTP needs a verified phone number; the user's is not.
  CHECK(r.body["AvailableChallenges"] == json::array({"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"}));
  CHECK(s.Answer(r.body, {{"ANSWER", "SMS_OTP"}}).type() == "InvalidParameterException");
  CallResult done = s.Answer(r.body, {{"ANSWER", "PASSWORD"}, {"PASSWORD", kPassword}});
  REQUIRE(done.ok());
  CHECK(done.body["AuthenticationResult"].contains("AccessToken"));
}

TEST_CASE("user auth: PREFERRED_CHALLENGE PASSWORD, PASSWORD_SRP and EMAIL_OTP") {
  ChoicePool s;
  CHECK(s.Initiate({{"PREFERRED_CHALLENGE", "PASSWORD"}, {"PASSWORD", kPassword}}).body.contains("AuthenticationResult"));
  CHECK(s.Initiate({{"PREFERRED_CHALLENGE", "PASSWORD"}, {"PASSWORD", "Wrong-passw0rd"}}).message() ==
        "Incorrect username or password.");

  SrpClient c(s.random);
  CallResult srp = s.Initiate({{"PREFERRED_CHALLENGE", "PASSWORD_SRP"}, {"SRP_A", c.A_hex}});
  REQUIRE(srp.body["ChallengeName"] == "PASSWORD_VERIFIER");
  const json& p = srp.body["ChallengeParameters"];
  const std::string pool_name = s.pool.substr(s.pool.find('_') + 1);
  const std::string ts = crypto::srp::FormatTimestamp(s.f.clock().NowSeconds());
  CHECK(s.Answer(srp.body, {{"PASSWORD_CLAIM_SECRET_BLOCK", p["SECRET_BLOCK"]},
                            {"TIMESTAMP", ts},
                            {"PASSWORD_CLAIM_SIGNATURE", c.Signature(p, pool_name, "lena", kPassword, ts)}})
            .ok());

  CallResult otp = s.Initiate({{"PREFERRED_CHALLENGE", "EMAIL_OTP"}});
  REQUIRE(otp.ok());
  CHECK(otp.body["ChallengeName"] == "EMAIL_OTP");
  CHECK(otp.body["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "l***@e***");
  const json message = s.f.Messages(s.pool, "lena").back();
  CHECK(message["reason"] == "OTP");
  const std::string code = message["code"];
  CHECK(code.size() == 8);
  CHECK(s.Answer(otp.body, {{"EMAIL_OTP_CODE", "00000000"}}).type() == "CodeMismatchException");
  CHECK(s.Answer(otp.body, {{"EMAIL_OTP_CODE", code}}).body.contains("AuthenticationResult"));
  // A preference the user cannot use falls back to the choice.
  CHECK(s.Initiate({{"PREFERRED_CHALLENGE", "SMS_OTP"}}).body["ChallengeName"] == "SELECT_CHALLENGE");
}

TEST_CASE("user auth: MFA follows a password first factor, never a one-time code") {
  ChoicePool s({"PASSWORD", "EMAIL_OTP"},
               {{"EmailConfiguration", {{"EmailSendingAccount", "DEVELOPER"},
                                        {"SourceArn", "arn:aws:ses:us-east-1:000000000000:identity/x@example.com"}}}});
  s.f.Ok("SetUserPoolMfaConfig", {{"UserPoolId", s.pool},
                                  {"MfaConfiguration", "OPTIONAL"},
                                  {"EmailMfaConfiguration", {{"Message", "MFA {####}"}, {"Subject", "MFA"}}}});
  s.f.Ok("AdminSetUserMFAPreference",
         {{"UserPoolId", s.pool}, {"Username", "lena"}, {"EmailMfaSettings", {{"Enabled", true}}}});
  CallResult password = s.Initiate({{"PREFERRED_CHALLENGE", "PASSWORD"}, {"PASSWORD", kPassword}});
  CHECK(password.body["ChallengeName"] == "EMAIL_OTP");  // e-mail MFA after the password
  CHECK(s.f.Messages(s.pool, "lena").back()["reason"] == "MFA");
  CallResult otp = s.Initiate({{"PREFERRED_CHALLENGE", "EMAIL_OTP"}});
  const json message = s.f.Messages(s.pool, "lena").back();
  CHECK(message["reason"] == "OTP");
  CHECK(s.Answer(otp.body, {{"EMAIL_OTP_CODE", message["code"]}}).body.contains("AuthenticationResult"));
}

TEST_CASE("user auth: the client must allow it, and LITE pools cannot") {
  ChoicePool s;
  const std::string other = s.f.CreateClient(s.pool)["ClientId"];
  CallResult r = s.f.Call("InitiateAuth", {{"ClientId", other}, {"AuthFlow", "USER_AUTH"}, {"AuthParameters", {{"USERNAME", "lena"}}}});
  CHECK(r.message() == "USER_AUTH flow not enabled for this client");
  const std::string lite = s.f.CreatePool({{"UserPoolTier", "LITE"}});
  CallResult refused = s.f.Call("CreateUserPoolClient",
                                {{"UserPoolId", lite}, {"ClientName", "c"}, {"ExplicitAuthFlows", {"ALLOW_USER_AUTH"}}});
  CHECK(refused.type() == "FeatureUnavailableInTierException");
  CHECK(s.f.Call("CreateUserPool", {{"PoolName", "p"},
                                    {"UserPoolTier", "LITE"},
                                    {"Policies", {{"SignInPolicy", {{"AllowedFirstAuthFactors", {"PASSWORD", "EMAIL_OTP"}}}}}}})
            .type() == "FeatureUnavailableInTierException");
}

TEST_CASE("user auth: an unknown user under PreventUserExistenceErrors is simulated to the end") {
  ChoicePool s;
  const std::string hiding =
      s.f.CreateClient(s.pool, {{"ExplicitAuthFlows", {"ALLOW_USER_AUTH"}}, {"PreventUserExistenceErrors", "ENABLED"}})["ClientId"];
  CallResult r = s.f.Call("InitiateAuth", {{"ClientId", hiding}, {"AuthFlow", "USER_AUTH"},
                                           {"AuthParameters", {{"USERNAME", "ghost@example.com"}, {"PREFERRED_CHALLENGE", "EMAIL_OTP"}}}});
  REQUIRE(r.ok());
  CHECK(r.body["ChallengeName"] == "EMAIL_OTP");
  CHECK(r.body["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "g***@e***");
  CallResult answer = s.f.Call("RespondToAuthChallenge", {{"ClientId", hiding},
                                                          {"ChallengeName", "EMAIL_OTP"},
                                                          {"Session", r.body["Session"]},
                                                          {"ChallengeResponses", {{"USERNAME", "ghost@example.com"}, {"EMAIL_OTP_CODE", "12345678"}}}});
  CHECK(answer.type() == "CodeMismatchException");
  CHECK(s.f.Messages(s.pool, "ghost@example.com").empty());  // nothing was sent
}

// ---- refresh ----

struct RefreshPool {
  EmulatorFixture f;
  std::string pool;
  std::string client_id;
  explicit RefreshPool(json client = json::object()) {
    pool = f.CreatePool();
    client_id = f.CreateClient(pool, client)["ClientId"];
    f.CreateConfirmedUser(pool, "rita", kPassword);
  }
  json SignIn() {
    CallResult r = f.PasswordAuth(client_id, "rita", kPassword);
    REQUIRE(r.ok());
    return r.body["AuthenticationResult"];
  }
  CallResult Refresh(const std::string& token) {
    return f.Call("GetTokensFromRefreshToken", {{"ClientId", client_id}, {"RefreshToken", token}});
  }
};

TEST_CASE("refresh: GetTokensFromRefreshToken without rotation: new ID and access tokens only") {
  RefreshPool s;
  const json first = s.SignIn();
  json described = s.f.Ok("DescribeUserPoolClient", {{"UserPoolId", s.pool}, {"ClientId", s.client_id}});
  CHECK(described["UserPoolClient"]["RefreshTokenRotation"] == json{{"Feature", "DISABLED"}});
  s.f.clock().Advance(600 * 1000);
  CallResult r = s.Refresh(first["RefreshToken"]);
  REQUIRE(r.ok());
  const json& result = r.body["AuthenticationResult"];
  CHECK_FALSE(result.contains("RefreshToken"));
  CHECK(result["ExpiresIn"] == 3600);
  const json old_claims = EmulatorFixture::Claims(first["AccessToken"]);
  const json claims = EmulatorFixture::Claims(result["AccessToken"]);
  CHECK(claims["iat"].get<int64_t>() == old_claims["iat"].get<int64_t>() + 600);
  CHECK(claims["auth_time"] == old_claims["auth_time"]);
  CHECK(s.Refresh("garbage").message() == "Invalid Refresh Token.");
}

TEST_CASE("refresh: rotation returns a new refresh token; the old one lives out its grace period") {
  RefreshPool s({{"RefreshTokenRotation", {{"Feature", "ENABLED"}, {"RetryGracePeriodSeconds", 30}}},
                 {"RefreshTokenValidity", 1},
                 {"TokenValidityUnits", {{"RefreshToken", "hours"}}}});
  const json first = s.SignIn();
  const std::string original = first["RefreshToken"];
  CallResult r = s.Refresh(original);
  REQUIRE(r.ok());
  const std::string replacement = r.body["AuthenticationResult"]["RefreshToken"];
  CHECK(replacement != original);
  // A retry inside the grace period converges on the same replacement.
  s.f.clock().Advance(29 * 1000);
  CallResult retry = s.Refresh(original);
  REQUIRE(retry.ok());
  CHECK(retry.body["AuthenticationResult"]["RefreshToken"] == replacement);
  s.f.clock().Advance(2 * 1000);
  CallResult reused = s.Refresh(original);
  CHECK(reused.type() == "RefreshTokenReuseException");
  // The replacement works, and keeps the original expiry (1 hour after the sign-in).
  CallResult next = s.Refresh(replacement);
  REQUIRE(next.ok());
  const std::string third = next.body["AuthenticationResult"]["RefreshToken"];
  s.f.clock().Advance((3600 - 31) * 1000);
  CHECK(s.Refresh(third).message() == "Refresh Token has expired");
  // REFRESH_TOKEN_AUTH is refused for a rotating client.
  CallResult legacy = s.f.Call("InitiateAuth", {{"ClientId", s.client_id},
                                                {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                                {"AuthParameters", {{"REFRESH_TOKEN", third}}}});
  CHECK(legacy.type() == "InvalidParameterException");
}

TEST_CASE("refresh: a grace period of 0 ends the old token at once; a client secret is checked") {
  RefreshPool s({{"RefreshTokenRotation", {{"Feature", "ENABLED"}, {"RetryGracePeriodSeconds", 0}}},
                 {"GenerateSecret", true}});
  const std::string secret =
      s.f.Ok("DescribeUserPoolClient", {{"UserPoolId", s.pool}, {"ClientId", s.client_id}})["UserPoolClient"]["ClientSecret"];
  const std::string hash = crypto::SecretHash(secret, "rita", s.client_id);
  CallResult signin = s.f.PasswordAuth(s.client_id, "rita", kPassword, {{"SECRET_HASH", hash}});
  REQUIRE(signin.ok());
  const std::string token = signin.body["AuthenticationResult"]["RefreshToken"];
  CallResult no_secret = s.Refresh(token);
  CHECK(no_secret.type() == "NotAuthorizedException");
  auto with_secret = [&](const std::string& t) {
    return s.f.Call("GetTokensFromRefreshToken", {{"ClientId", s.client_id}, {"RefreshToken", t}, {"ClientSecret", secret}});
  };
  CallResult r = with_secret(token);
  REQUIRE(r.ok());
  CHECK(with_secret(token).type() == "RefreshTokenReuseException");
  CHECK(with_secret(r.body["AuthenticationResult"]["RefreshToken"]).ok());
}

}  // namespace
}  // namespace cogemu::testing
