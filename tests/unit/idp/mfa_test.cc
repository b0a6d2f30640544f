// MFA through the dispatcher: pool configuration rules, the user's factors, and the challenge
// state machine (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP).
#include <doctest/doctest.h>

#include "emulator/crypto/totp.h"
#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {
namespace {

const char* kPassword = "Passw0rd!";
const json kSms = {{"SnsCallerArn", "arn:aws:iam::000000000000:role/sns"}, {"ExternalId", "x"}};
const json kSes = {{"EmailSendingAccount", "DEVELOPER"},
                   {"SourceArn", "arn:aws:ses:us-east-1:000000000000:identity/no-reply@example.com"}};

// The TOTP code for `secret` at the emulator clock plus `offset` seconds.
std::string TotpCode(EmulatorFixture& f, const std::string& secret, int64_t offset = 0) {
  return crypto::Hotp(*crypto::Base32Decode(secret), crypto::TotpStep(f.clock().NowSeconds() + offset));
}

struct MfaPool {
  EmulatorFixture f;
  std::string pool;
  std::string client_id;
  explicit MfaPool(json pool_input = json::object(), json mfa = json::object()) {
    pool = f.CreatePool(pool_input);
    client_id = f.CreateClient(pool)["ClientId"];
    if (!mfa.empty()) {
      mfa["UserPoolId"] = pool;
      f.Ok("SetUserPoolMfaConfig", mfa);
    }
  }
  CallResult SignIn(const std::string& user, const std::string& password = kPassword) {
    return f.PasswordAuth(client_id, user, password);
  }
  CallResult Answer(const json& challenge, json responses) {
    return f.Call("RespondToAuthChallenge", {{"ClientId", client_id},
                                             {"ChallengeName", challenge["ChallengeName"]},
                                             {"Session", challenge["Session"]},
                                             {"ChallengeResponses", responses}});
  }
  std::string AccessToken(const std::string& user) {
    CallResult r = SignIn(user);
    REQUIRE(r.ok());
    REQUIRE(r.body.contains("AuthenticationResult"));
    return r.body["AuthenticationResult"]["AccessToken"];
  }
  // Associates and verifies a software token for `user` (signed in without MFA); returns it.
  std::string SetUpTotp(const std::string& user) {
    const std::string token = AccessToken(user);
    const std::string secret = f.Ok("AssociateSoftwareToken", {{"AccessToken", token}})["SecretCode"];
    CHECK(secret.size() == 52);
    CHECK(f.Ok("VerifySoftwareToken", {{"AccessToken", token}, {"UserCode", TotpCode(f, secret)}})["Status"] == "SUCCESS");
    return secret;
  }
  json LastMessage(const std::string& user) {
    json all = f.Messages(pool, user);
    REQUIRE_FALSE(all.empty());
    return all.back();
  }
};

TEST_CASE("mfa config: SetUserPoolMfaConfig is validated as AWS validates it") {
  MfaPool s;
  json fresh = s.f.Ok("GetUserPoolMfaConfig", {{"UserPoolId", s.pool}});
  CHECK(fresh == json{{"MfaConfiguration", "OFF"}});
  auto set = [&](json in) {
    in["UserPoolId"] = s.pool;
    return s.f.Call("SetUserPoolMfaConfig", in);
  };
  CHECK(set({{"MfaConfiguration", "OFF"}, {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}}).message() ==
        "Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  CHECK(set({{"MfaConfiguration", "OPTIONAL"}}).message() ==
        "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.");
  CHECK(set({{"MfaConfiguration", "ON"}, {"SmsMfaConfiguration", {{"SmsAuthenticationMessage", "Code {####}"}}}})
            .type() == "InvalidParameterException");  // no SMS configuration anywhere
  CHECK(set({{"MfaConfiguration", "OPTIONAL"}, {"EmailMfaConfiguration", {{"Message", "Code {####}"}}}}).type() ==
        "InvalidParameterException");  // COGNITO_DEFAULT e-mail
  json totp = set({{"MfaConfiguration", "ON"}, {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}}).body;
  CHECK(totp["MfaConfiguration"] == "ON");
  CHECK(totp["SoftwareTokenMfaConfiguration"]["Enabled"] == true);
  CHECK(s.f.Ok("DescribeUserPool", {{"UserPoolId", s.pool}})["UserPool"]["MfaConfiguration"] == "ON");

  MfaPool lite(json{{"UserPoolTier", "LITE"}, {"EmailConfiguration", kSes}});
  CallResult email = lite.f.Call("SetUserPoolMfaConfig", {{"UserPoolId", lite.pool},
                                                          {"MfaConfiguration", "OPTIONAL"},
                                                          {"EmailMfaConfiguration", {{"Message", "Code {####}"}}}});
  CHECK(email.type() == "FeatureUnavailableInTierException");
}

TEST_CASE("mfa: TOTP in an OPTIONAL pool: set up, enabled by preference, then asked at every sign-in") {
  MfaPool s(json::object(), {{"MfaConfiguration", "OPTIONAL"}, {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}});
  s.f.CreateConfirmedUser(s.pool, "tina", kPassword);
  const std::string secret = s.SetUpTotp("tina");
  // Verified but not turned on: no challenge yet in an OPTIONAL pool.
  CHECK(s.SignIn("tina").body.contains("AuthenticationResult"));
  json user = s.f.Ok("AdminGetUser", {{"UserPoolId", s.pool}, {"Username", "tina"}});
  CHECK_FALSE(user.contains("UserMFASettingList"));
  s.f.Ok("AdminSetUserMFAPreference", {{"UserPoolId", s.pool},
                                       {"Username", "tina"},
                                       {"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}});
  user = s.f.Ok("AdminGetUser", {{"UserPoolId", s.pool}, {"Username", "tina"}});
  CHECK(user["UserMFASettingList"] == json::array({"SOFTWARE_TOKEN_MFA"}));
  CHECK(user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA");
  CHECK_FALSE(user.contains("MFAOptions"));

  CallResult challenge = s.SignIn("tina");
  REQUIRE(challenge.ok());
  CHECK(challenge.body["ChallengeName"] == "SOFTWARE_TOKEN_MFA");
  CHECK_FALSE(challenge.body.contains("AuthenticationResult"));
  // The code that verified the token is spent; a wrong code keeps the session; the next one works.
  CallResult reused = s.Answer(challenge.body, {{"USERNAME", "tina"}, {"SOFTWARE_TOKEN_MFA_CODE", TotpCode(s.f, secret)}});
  CHECK(reused.type() == "CodeMismatchException");
  CHECK(reused.message() == "Invalid code or auth state for the user.");
  CallResult ok = s.Answer(challenge.body, {{"USERNAME", "tina"}, {"SOFTWARE_TOKEN_MFA_CODE", TotpCode(s.f, secret, 30)}});
  REQUIRE(ok.ok());
  CHECK(ok.body["AuthenticationResult"].contains("AccessToken"));
  // The same code again, in a new sign-in: refused.
  CallResult again = s.SignIn("tina");
  CHECK(s.Answer(again.body, {{"USERNAME", "tina"}, {"SOFTWARE_TOKEN_MFA_CODE", TotpCode(s.f, secret, 30)}}).type() ==
        "CodeMismatchException");
  // Two steps away: refused; one step back is still inside the window.
  s.f.clock().Advance(60 * 1000);
  CallResult later = s.SignIn("tina");
  CHECK(s.Answer(later.body, {{"USERNAME", "tina"}, {"SOFTWARE_TOKEN_MFA_CODE", TotpCode(s.f, secret, 60)}}).type() ==
        "CodeMismatchException");
  CHECK(s.Answer(later.body, {{"USERNAME", "tina"}, {"SOFTWARE_TOKEN_MFA_CODE", TotpCode(s.f, secret)}}).ok());
}

TEST_CASE("mfa: wrong codes count toward the sign-in lockout") {
  MfaPool s(json::object(), {{"MfaConfiguration", "OPTIONAL"}, {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}});
  s.f.CreateConfirmedUser(s.pool, "uma", kPassword);
  const std::string secret = s.SetUpTotp("uma");
  s.f.Ok("AdminSetUserMFAPreference",
         {{"UserPoolId", s.pool}, {"Username", "uma"}, {"SoftwareTokenMfaSettings", {{"Enabled", true}}}});
  CallResult challenge = s.SignIn("uma");
  for (int i = 0; i < 5; ++i) {
    CHECK(s.Answer(challenge.body, {{"USERNAME", "uma"}, {"SOFTWARE_TOKEN_MFA_CODE", "000000"}}).type() ==
          "CodeMismatchException");
  }
  CallResult locked = s.Answer(challenge.body, {{"USERNAME", "uma"}, {"SOFTWARE_TOKEN_MFA_CODE", TotpCode(s.f, secret, 30)}});
  CHECK(locked.message() == "Password attempts exceeded");
}

TEST_CASE("mfa: SMS codes go to the outbox with the pool's template and a masked destination") {
  MfaPool s(json{{"SmsConfiguration", kSms}},
            {{"MfaConfiguration", "OPTIONAL"}, {"SmsMfaConfiguration", {{"SmsAuthenticationMessage", "Your code: {####}"}}}});
  s.f.CreateConfirmedUser(s.pool, "vic", kPassword, {{{"Name", "phone_number"}, {"Value", "+15555550142"}}});
  // No phone number, no SMS MFA.
  s.f.CreateConfirmedUser(s.pool, "nophone", kPassword);
  CallResult no = s.f.Call("AdminSetUserMFAPreference",
                           {{"UserPoolId", s.pool}, {"Username", "nophone"}, {"SMSMfaSettings", {{"Enabled", true}}}});
  CHECK(no.message() == "User does not have delivery config set to turn on SMS_MFA");
  s.f.Ok("AdminSetUserMFAPreference", {{"UserPoolId", s.pool}, {"Username", "vic"}, {"SMSMfaSettings", {{"Enabled", true}}}});
  json user = s.f.Ok("AdminGetUser", {{"UserPoolId", s.pool}, {"Username", "vic"}});
  CHECK(user["MFAOptions"] == json::array({{{"DeliveryMedium", "SMS"}, {"AttributeName", "phone_number"}}}));

  CallResult challenge = s.SignIn("vic");
  REQUIRE(challenge.ok());
  CHECK(challenge.body["ChallengeName"] == "SMS_MFA");
  CHECK(challenge.body["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "SMS");
  CHECK(challenge.body["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "+*******0142");
  const json message = s.LastMessage("vic");
  CHECK(message["reason"] == "MFA");
  CHECK(message["destination"] == "+15555550142");
  const std::string code = message["code"];
  CHECK(code.size() == 6);
  CHECK(message["message"] == "Your code: " + code);
  CHECK(s.Answer(challenge.body, {{"USERNAME", "vic"}, {"SMS_MFA_CODE", "000000"}}).type() == "CodeMismatchException");
  CallResult ok = s.Answer(challenge.body, {{"USERNAME", "vic"}, {"SMS_MFA_CODE", code}});
  REQUIRE(ok.ok());
  // A code delivered by SMS proves the number.
  user = s.f.Ok("AdminGetUser", {{"UserPoolId", s.pool}, {"Username", "vic"}});
  bool verified = false;
  for (const auto& a : user["UserAttributes"]) verified |= a["Name"] == "phone_number_verified" && a["Value"] == "true";
  CHECK(verified);
  // Each sign-in sends a new code; only the code of its own session counts.
  CallResult second = s.SignIn("vic");
  CHECK(s.Answer(second.body, {{"USERNAME", "vic"}, {"SMS_MFA_CODE", code}}).type() == "CodeMismatchException");
  // The session lives for the client's AuthSessionValidity (3 minutes).
  s.f.clock().Advance(181 * 1000);
  CHECK(s.Answer(second.body, {{"USERNAME", "vic"}, {"SMS_MFA_CODE", s.LastMessage("vic")["code"]}}).message() ==
        "Invalid session for the user, session is expired.");
}

TEST_CASE("mfa: several factors without a preference: SELECT_MFA_TYPE") {
  MfaPool s(json{{"SmsConfiguration", kSms}, {"EmailConfiguration", kSes}},
            {{"MfaConfiguration", "OPTIONAL"},
             {"SmsMfaConfiguration", {{"SmsAuthenticationMessage", "{####}"}}},
             {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}},
             {"EmailMfaConfiguration", {{"Message", "Mail code {####}"}, {"Subject", "Your code"}}}});
  s.f.CreateConfirmedUser(s.pool, "walt", kPassword,
                          {{{"Name", "phone_number"}, {"Value", "+15555550100"}},
                           {{"Name", "email"}, {"Value", "walt@example.com"}}});
  s.SetUpTotp("walt");
  s.f.Ok("AdminSetUserMFAPreference", {{"UserPoolId", s.pool},
                                       {"Username", "walt"},
                                       {"SMSMfaSettings", {{"Enabled", true}}},
                                       {"SoftwareTokenMfaSettings", {{"Enabled", true}}},
                                       {"EmailMfaSettings", {{"Enabled", true}}}});
  CallResult challenge = s.SignIn("walt");
  REQUIRE(challenge.ok());
  CHECK(challenge.body["ChallengeName"] == "SELECT_MFA_TYPE");
  CHECK(challenge.body["ChallengeParameters"]["MFAS_CAN_CHOOSE"] == R"(["SMS_MFA","SOFTWARE_TOKEN_MFA","EMAIL_OTP"])");
  CHECK(s.Answer(challenge.body, {{"USERNAME", "walt"}, {"ANSWER", "WEB_AUTHN"}}).type() == "InvalidParameterException");
  CallResult email = s.Answer(challenge.body, {{"USERNAME", "walt"}, {"ANSWER", "EMAIL_MFA"}});  // the guide's spelling
  REQUIRE(email.ok());
  CHECK(email.body["ChallengeName"] == "EMAIL_OTP");
  CHECK(email.body["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"] == "w***@e***");
  const json message = s.LastMessage("walt");
  CHECK(message["code"].get<std::string>().size() == 8);
  CHECK(message["subject"] == "Your code");
  CHECK(s.Answer(email.body, {{"USERNAME", "walt"}, {"EMAIL_OTP_CODE", message["code"]}}).ok());
  // With a preference, that factor is asked directly.
  s.f.Ok("AdminSetUserMFAPreference",
         {{"UserPoolId", s.pool}, {"Username", "walt"}, {"SMSMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}});
  CHECK(s.SignIn("walt").body["ChallengeName"] == "SMS_MFA");
  CallResult two = s.f.Call("AdminSetUserMFAPreference",
                            {{"UserPoolId", s.pool},
                             {"Username", "walt"},
                             {"SMSMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}},
                             {"EmailMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}});
  CHECK(two.type() == "InvalidParameterException");
}

TEST_CASE("mfa: a pool that requires MFA never issues tokens without it: MFA_SETUP with a software token") {
  MfaPool s(json::object(), {{"MfaConfiguration", "ON"}, {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}});
  s.f.CreateConfirmedUser(s.pool, "xena", kPassword);
  CallResult setup = s.SignIn("xena");
  REQUIRE(setup.ok());
  CHECK(setup.body["ChallengeName"] == "MFA_SETUP");
  CHECK(setup.body["ChallengeParameters"]["MFAS_CAN_SETUP"] == R"(["SOFTWARE_TOKEN_MFA"])");
  CHECK_FALSE(setup.body.contains("AuthenticationResult"));
  // Answering before any token is verified does not get tokens.
  CHECK(s.Answer(setup.body, {{"USERNAME", "xena"}}).type() == "InvalidParameterException");
  json associated = s.f.Ok("AssociateSoftwareToken", {{"Session", setup.body["Session"]}});
  const std::string secret = associated["SecretCode"];
  CHECK(s.f.Call("VerifySoftwareToken", {{"Session", associated["Session"]}, {"UserCode", "000000"}}).type() ==
        "EnableSoftwareTokenMFAException");
  json verified = s.f.Ok("VerifySoftwareToken", {{"Session", associated["Session"]}, {"UserCode", TotpCode(s.f, secret)}});
  CHECK(verified["Status"] == "SUCCESS");
  json finish = setup.body;
  finish["Session"] = verified["Session"];
  CallResult done = s.Answer(finish, {{"USERNAME", "xena"}});
  REQUIRE(done.ok());
  CHECK(done.body["AuthenticationResult"].contains("IdToken"));
  json user = s.f.Ok("AdminGetUser", {{"UserPoolId", s.pool}, {"Username", "xena"}});
  CHECK(user["UserMFASettingList"] == json::array({"SOFTWARE_TOKEN_MFA"}));
  CHECK(user["PreferredMfaSetting"] == "SOFTWARE_TOKEN_MFA");
  CHECK(s.SignIn("xena").body["ChallengeName"] == "SOFTWARE_TOKEN_MFA");
  // MFA is required: the only factor cannot be turned off.
  CHECK(s.f.Call("AdminSetUserMFAPreference", {{"UserPoolId", s.pool},
                                               {"Username", "xena"},
                                               {"SoftwareTokenMfaSettings", {{"Enabled", false}}}})
            .type() == "InvalidParameterException");
}

TEST_CASE("mfa: MFA_SETUP by e-mail sets the address, verifies it and turns e-mail MFA on") {
  MfaPool s(json{{"EmailConfiguration", kSes}},
            {{"MfaConfiguration", "ON"},
             {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}},
             {"EmailMfaConfiguration", {{"Message", "Code {####}"}, {"Subject", "Code"}}}});
  s.f.CreateConfirmedUser(s.pool, "yuri", kPassword);
  CallResult setup = s.SignIn("yuri");
  REQUIRE(setup.body["ChallengeName"] == "MFA_SETUP");
  CHECK(setup.body["ChallengeParameters"]["MFAS_CAN_SETUP"] == R"(["SOFTWARE_TOKEN_MFA","EMAIL_OTP"])");
  CallResult email = s.Answer(setup.body, {{"USERNAME", "yuri"}, {"EMAIL", "yuri@example.com"}});
  REQUIRE(email.ok());
  CHECK(email.body["ChallengeName"] == "EMAIL_OTP");
  const json message = s.LastMessage("yuri");
  CHECK(message["destination"] == "yuri@example.com");
  CallResult done = s.Answer(email.body, {{"USERNAME", "yuri"}, {"EMAIL_OTP_CODE", message["code"]}});
  REQUIRE(done.ok());
  json user = s.f.Ok("AdminGetUser", {{"UserPoolId", s.pool}, {"Username", "yuri"}});
  CHECK(user["UserMFASettingList"] == json::array({"EMAIL_OTP"}));
  json attrs = json::object();
  for (const auto& a : user["UserAttributes"]) attrs[a["Name"].get<std::string>()] = a["Value"];
  CHECK(attrs["email"] == "yuri@example.com");
  CHECK(attrs["email_verified"] == "true");
}

TEST_CASE("mfa: an ON pool challenges a user without factors by SMS when it has a phone number") {
  MfaPool s(json{{"SmsConfiguration", kSms}, {"MfaConfiguration", "ON"}});
  s.f.CreateConfirmedUser(s.pool, "zack", kPassword, {{{"Name", "phone_number"}, {"Value", "+15555550199"}}});
  CallResult challenge = s.SignIn("zack");
  CHECK(challenge.body["ChallengeName"] == "SMS_MFA");
}

TEST_CASE("mfa: AssociateSoftwareToken needs TOTP enabled in the pool; one of AccessToken and Session") {
  MfaPool s;
  s.f.CreateConfirmedUser(s.pool, "amy", kPassword);
  const std::string token = s.AccessToken("amy");
  CallResult off = s.f.Call("AssociateSoftwareToken", {{"AccessToken", token}});
  CHECK(off.type() == "SoftwareTokenMFANotFoundException");
  CHECK(off.message() == "Software Token MFA has not been enabled by the userPool.");
  CHECK(s.f.Call("AssociateSoftwareToken", json::object()).type() == "InvalidParameterException");
  CallResult preference = s.f.Call("SetUserMFAPreference",
                                   {{"AccessToken", token}, {"SoftwareTokenMfaSettings", {{"Enabled", true}}}});
  CHECK(preference.message() == "User does not have delivery config set to turn on SOFTWARE_TOKEN_MFA");
}

TEST_CASE("mfa: GetUserAuthFactors and AdminGetUserAuthFactors") {
  MfaPool s(json{{"Policies", {{"SignInPolicy", {{"AllowedFirstAuthFactors", {"PASSWORD", "EMAIL_OTP"}}}}}}},
            {{"MfaConfiguration", "OPTIONAL"}, {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}});
  s.f.CreateConfirmedUser(s.pool, "bea", kPassword,
                          {{{"Name", "email"}, {"Value", "bea@example.com"}}, {{"Name", "email_verified"}, {"Value", "true"}}});
  json factors = s.f.Ok("AdminGetUserAuthFactors", {{"UserPoolId", s.pool}, {"Username", "bea"}});
  CHECK(factors["Username"] == "bea");
  CHECK(factors["ConfiguredUserAuthFactors"] == json::array({"PASSWORD", "EMAIL_OTP"}));
  CHECK_FALSE(factors.contains("UserMFASettingList"));
  s.SetUpTotp("bea");
  s.f.Ok("AdminSetUserMFAPreference",
         {{"UserPoolId", s.pool}, {"Username", "bea"}, {"SoftwareTokenMfaSettings", {{"Enabled", true}}}});
  factors = s.f.Ok("AdminGetUserAuthFactors", {{"UserPoolId", s.pool}, {"Username", "bea"}});
  CHECK(factors["ConfiguredUserAuthFactors"] == json::array({"PASSWORD", "EMAIL_OTP", "SOFTWARE_TOKEN"}));
  CHECK(factors["UserMFASettingList"] == json::array({"SOFTWARE_TOKEN_MFA"}));
  CHECK(s.f.Call("AdminGetUserAuthFactors", {{"UserPoolId", s.pool}, {"Username", "nobody"}}).type() ==
        "UserNotFoundException");
}

}  // namespace
}  // namespace cogemu::testing
