// Sign-up and sign-in rules, driven through the dispatcher with a fake clock.
#include <doctest/doctest.h>

#include "emulator/crypto/password.h"
#include "emulator/crypto/srp.h"
#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {
namespace {

const char* kPassword = "Passw0rd!";

struct SignedIn {
  EmulatorFixture f;
  std::string pool;
  std::string client_id;
  json result;
  SignedIn() {
    pool = f.CreatePool();
    f.Ok("AddCustomAttributes", {{"UserPoolId", pool},
                                 {"CustomAttributes", {{{"Name", "tier"}, {"AttributeDataType", "Number"}}}}});
    client_id = f.CreateClient(pool)["ClientId"];
    f.CreateConfirmedUser(pool, "alice", kPassword,
                          {{{"Name", "email"}, {"Value", "alice@example.com"}},
                           {{"Name", "email_verified"}, {"Value", "true"}},
                           {{"Name", "custom:tier"}, {"Value", "3"}}});
    CallResult r = f.PasswordAuth(client_id, "alice", kPassword);
    REQUIRE(r.ok());
    result = r.body["AuthenticationResult"];
  }
};

TEST_CASE("auth: password sign-in issues tokens with Cognito's claims") {
  SignedIn s;
  const json& r = s.result;
  CHECK(r["TokenType"] == "Bearer");
  CHECK(r["ExpiresIn"] == 3600);
  const std::string refresh = r["RefreshToken"];
  CHECK(refresh.rfind("eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.", 0) == 0);
  CHECK(std::count(refresh.begin(), refresh.end(), '.') == 4);

  json id = EmulatorFixture::Claims(r["IdToken"]);
  json access = EmulatorFixture::Claims(r["AccessToken"]);
  const std::string iss = "https://cognito-idp.us-east-1.amazonaws.com/" + s.pool;
  const int64_t now = 1767225600;
  CHECK(id["iss"] == iss);
  CHECK(id["token_use"] == "id");
  CHECK(id["aud"] == s.client_id);
  CHECK(id["cognito:username"] == "alice");
  CHECK(id["email"] == "alice@example.com");
  CHECK(id["email_verified"] == true);        // a boolean, as AWS renders it
  CHECK(id["custom:tier"] == "3");            // custom attributes are strings
  CHECK(id["iat"] == now);
  CHECK(id["auth_time"] == now);
  CHECK(id["exp"] == now + 3600);
  CHECK(id["sub"].get<std::string>().size() == 36);
  CHECK_FALSE(id.contains("client_id"));

  CHECK(access["token_use"] == "access");
  CHECK(access["client_id"] == s.client_id);
  CHECK_FALSE(access.contains("aud"));
  CHECK(access["username"] == "alice");
  CHECK(access["scope"] == "aws.cognito.signin.user.admin");
  CHECK(access["sub"] == id["sub"]);
  CHECK(access["origin_jti"] == id["origin_jti"]);
  CHECK(access["jti"] != id["jti"]);
  CHECK(access["event_id"] == id["event_id"]);
  CHECK_FALSE(access.contains("email"));

  auto id_header = crypto::DecodeJwt(r["IdToken"].get<std::string>())->header;
  auto access_header = crypto::DecodeJwt(r["AccessToken"].get<std::string>())->header;
  CHECK(id_header["alg"] == "RS256");
  CHECK(id_header["kid"] != access_header["kid"]);  // two key pairs per pool
}

TEST_CASE("auth: token lifetimes follow the client's validity and units") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool();
  const std::string client_id =
      f.CreateClient(pool, {{"AccessTokenValidity", 5},
                            {"IdTokenValidity", 2},
                            {"TokenValidityUnits", {{"AccessToken", "minutes"}, {"IdToken", "hours"}}}})["ClientId"];
  f.CreateConfirmedUser(pool, "bob", kPassword);
  json r = f.PasswordAuth(client_id, "bob", kPassword).body["AuthenticationResult"];
  CHECK(r["ExpiresIn"] == 300);
  CHECK(EmulatorFixture::Claims(r["IdToken"])["exp"].get<int64_t>() -
            EmulatorFixture::Claims(r["IdToken"])["iat"].get<int64_t>() == 7200);
}

TEST_CASE("auth: access tokens are checked on every call: signature, expiry, user") {
  SignedIn s;
  const std::string at = s.result["AccessToken"];
  json user = s.f.Ok("GetUser", {{"AccessToken", at}});
  CHECK(user["Username"] == "alice");

  // Tampered payload.
  std::string tampered = at;
  tampered[tampered.find('.') + 5] ^= 1;
  CallResult bad = s.f.Call("GetUser", {{"AccessToken", tampered}});
  CHECK(bad.type() == "NotAuthorizedException");
  CHECK(bad.message() == "Invalid Access Token");

  // An ID token is not an access token.
  CallResult wrong_use = s.f.Call("GetUser", {{"AccessToken", s.result["IdToken"]}});
  CHECK(wrong_use.message() == "Invalid Access Token");

  // Disabled user.
  s.f.Ok("AdminDisableUser", {{"UserPoolId", s.pool}, {"Username", "alice"}});
  CHECK(s.f.Call("GetUser", {{"AccessToken", at}}).message() == "User is disabled.");
  s.f.Ok("AdminEnableUser", {{"UserPoolId", s.pool}, {"Username", "alice"}});

  // Expiry by the emulator clock.
  s.f.clock().Advance(3601 * 1000);
  CallResult expired = s.f.Call("GetUser", {{"AccessToken", at}});
  CHECK(expired.type() == "NotAuthorizedException");
  CHECK(expired.message() == "Access Token has expired");
}

TEST_CASE("auth: refresh returns new ID and access tokens, no refresh token, same auth_time") {
  SignedIn s;
  s.f.clock().Advance(600 * 1000);
  CallResult r = s.f.Call("InitiateAuth", {{"ClientId", s.client_id},
                                           {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                           {"AuthParameters", {{"REFRESH_TOKEN", s.result["RefreshToken"]}}}});
  REQUIRE(r.ok());
  json result = r.body["AuthenticationResult"];
  CHECK_FALSE(result.contains("RefreshToken"));
  json id = EmulatorFixture::Claims(result["IdToken"]);
  CHECK(id["auth_time"] == 1767225600);
  CHECK(id["iat"] == 1767225600 + 600);
  CHECK(id["origin_jti"] == EmulatorFixture::Claims(s.result["IdToken"])["origin_jti"]);

  CallResult bogus = s.f.Call("InitiateAuth", {{"ClientId", s.client_id},
                                               {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                               {"AuthParameters", {{"REFRESH_TOKEN", "not-a-token"}}}});
  CHECK(bogus.message() == "Invalid Refresh Token.");

  s.f.clock().Advance(int64_t{31} * 86400 * 1000);
  CallResult expired = s.f.Call("InitiateAuth", {{"ClientId", s.client_id},
                                                 {"AuthFlow", "REFRESH_TOKEN_AUTH"},
                                                 {"AuthParameters", {{"REFRESH_TOKEN", s.result["RefreshToken"]}}}});
  CHECK(expired.type() == "NotAuthorizedException");
  CHECK(expired.message() == "Refresh Token has expired");
}

TEST_CASE("auth: wrong passwords, lockout and its expiry by the clock") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool();
  const std::string client_id = f.CreateClient(pool)["ClientId"];
  f.CreateConfirmedUser(pool, "carol", kPassword);
  for (int i = 0; i < 5; ++i) {
    CallResult r = f.PasswordAuth(client_id, "carol", "Wrong-pass1");
    CHECK(r.type() == "NotAuthorizedException");
    CHECK(r.message() == "Incorrect username or password.");
  }
  // Locked for 1 s after the fifth failure: even the right password is refused.
  CallResult locked = f.PasswordAuth(client_id, "carol", kPassword);
  CHECK(locked.message() == "Password attempts exceeded");
  f.clock().Advance(1000);
  CHECK(f.PasswordAuth(client_id, "carol", kPassword).ok());
}

TEST_CASE("auth: users that may not sign in get AWS's errors") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool();
  const std::string client_id = f.CreateClient(pool)["ClientId"];
  const std::string hiding = f.CreateClient(pool, {{"PreventUserExistenceErrors", "ENABLED"}})["ClientId"];

  CallResult unknown = f.PasswordAuth(client_id, "nobody", kPassword);
  CHECK(unknown.type() == "UserNotFoundException");
  CHECK(unknown.message() == "User does not exist.");
  CallResult hidden = f.PasswordAuth(hiding, "nobody", kPassword);
  CHECK(hidden.type() == "NotAuthorizedException");
  CHECK(hidden.message() == "Incorrect username or password.");

  f.Ok("SignUp", {{"ClientId", client_id}, {"Username", "dave"}, {"Password", kPassword}});
  CallResult unconfirmed = f.PasswordAuth(client_id, "dave", "even-a-wrong-one");
  CHECK(unconfirmed.type() == "UserNotConfirmedException");
  CHECK(unconfirmed.message() == "User is not confirmed.");

  f.Ok("AdminConfirmSignUp", {{"UserPoolId", pool}, {"Username", "dave"}});
  f.Ok("AdminDisableUser", {{"UserPoolId", pool}, {"Username", "dave"}});
  CallResult disabled = f.PasswordAuth(client_id, "dave", kPassword);
  CHECK(disabled.type() == "NotAuthorizedException");
  CHECK(disabled.message() == "User is disabled.");
}

TEST_CASE("auth: the client's allowed flows and SECRET_HASH are enforced") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool();
  json srp_only = f.CreateClient(pool, {{"ExplicitAuthFlows", {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}});
  json secret = f.CreateClient(pool, {{"GenerateSecret", true}});
  f.CreateConfirmedUser(pool, "erin", kPassword);

  CallResult not_enabled = f.PasswordAuth(srp_only["ClientId"], "erin", kPassword);
  CHECK(not_enabled.type() == "InvalidParameterException");
  CHECK(not_enabled.message() == "USER_PASSWORD_AUTH flow not enabled for this client");

  CallResult admin_flow = f.Call("InitiateAuth", {{"ClientId", srp_only["ClientId"]},
                                                  {"AuthFlow", "ADMIN_USER_PASSWORD_AUTH"},
                                                  {"AuthParameters", {{"USERNAME", "erin"}, {"PASSWORD", kPassword}}}});
  CHECK(admin_flow.message() == "Initiate Auth method not supported.");

  const std::string id = secret["ClientId"];
  CallResult missing = f.PasswordAuth(id, "erin", kPassword);
  CHECK(missing.type() == "NotAuthorizedException");
  CHECK(missing.message() == "Client " + id + " is configured with secret but SECRET_HASH was not received");
  CallResult wrong = f.PasswordAuth(id, "erin", kPassword, {{"SECRET_HASH", "AAAA"}});
  CHECK(wrong.message() == "Unable to verify secret hash for client " + id);
  const std::string hash = crypto::SecretHash(secret["ClientSecret"].get<std::string>(), "erin", id);
  CHECK(f.PasswordAuth(id, "erin", kPassword, {{"SECRET_HASH", hash}}).ok());
}

TEST_CASE("auth: NEW_PASSWORD_REQUIRED with a single-use session bound to user and client") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool({{"Schema", {{{"Name", "family_name"}, {"Required", true}}}}});
  const std::string client_id = f.CreateClient(pool)["ClientId"];
  f.Ok("AdminCreateUser", {{"UserPoolId", pool}, {"Username", "frank"}, {"TemporaryPassword", "Temp0rary!"},
                           {"MessageAction", "SUPPRESS"}});
  CallResult challenge = f.PasswordAuth(client_id, "frank", "Temp0rary!");
  REQUIRE(challenge.ok());
  CHECK(challenge.body["ChallengeName"] == "NEW_PASSWORD_REQUIRED");
  CHECK(challenge.body["ChallengeParameters"]["requiredAttributes"] == R"(["userAttributes.family_name"])");
  const std::string session = challenge.body["Session"];

  auto respond = [&](const std::string& sess, json responses) {
    return f.Call("RespondToAuthChallenge", {{"ClientId", client_id},
                                             {"ChallengeName", "NEW_PASSWORD_REQUIRED"},
                                             {"Session", sess},
                                             {"ChallengeResponses", responses}});
  };
  CallResult missing_attr = respond(session, {{"USERNAME", "frank"}, {"NEW_PASSWORD", "NewPassw0rd!"}});
  CHECK(missing_attr.type() == "InvalidParameterException");
  CHECK(missing_attr.message() == "Invalid attributes given, family_name is missing");
  CallResult weak = respond(session, {{"USERNAME", "frank"}, {"NEW_PASSWORD", "weak"},
                                      {"userAttributes.family_name", "Smith"}});
  CHECK(weak.type() == "InvalidPasswordException");
  CallResult done = respond(session, {{"USERNAME", "frank"}, {"NEW_PASSWORD", "NewPassw0rd!"},
                                      {"userAttributes.family_name", "Smith"}});
  REQUIRE(done.ok());
  CHECK(done.body["AuthenticationResult"].contains("IdToken"));
  // Single use.
  CallResult again = respond(session, {{"USERNAME", "frank"}, {"NEW_PASSWORD", "NewPassw0rd!"},
                                       {"userAttributes.family_name", "Smith"}});
  CHECK(again.message() == "Invalid session for the user, session can only be used once.");
  json user = f.Ok("AdminGetUser", {{"UserPoolId", pool}, {"Username", "frank"}});
  CHECK(user["UserStatus"] == "CONFIRMED");

  // Sessions expire after the client's AuthSessionValidity (3 minutes).
  f.Ok("AdminCreateUser", {{"UserPoolId", pool}, {"Username", "gina"}, {"TemporaryPassword", "Temp0rary!"},
                           {"MessageAction", "SUPPRESS"}});
  const std::string late = f.PasswordAuth(client_id, "gina", "Temp0rary!").body["Session"];
  f.clock().Advance(181 * 1000);
  CHECK(respond(late, {{"USERNAME", "gina"}, {"NEW_PASSWORD", "NewPassw0rd!"},
                       {"userAttributes.family_name", "X"}}).message() ==
        "Invalid session for the user, session is expired.");
}

TEST_CASE("auth: temporary passwords expire after TemporaryPasswordValidityDays") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool({{"Policies", {{"PasswordPolicy", {{"MinimumLength", 8},
                                                                           {"TemporaryPasswordValidityDays", 2}}}}}});
  const std::string client_id = f.CreateClient(pool)["ClientId"];
  f.Ok("AdminCreateUser", {{"UserPoolId", pool}, {"Username", "hank"}, {"TemporaryPassword", "temporary"},
                           {"MessageAction", "SUPPRESS"}});
  f.clock().Advance(int64_t{2} * 86400 * 1000 + 1000);
  CallResult r = f.PasswordAuth(client_id, "hank", "temporary");
  CHECK(r.type() == "NotAuthorizedException");
  CHECK(r.message() == "Temporary password has expired and must be reset by an administrator.");
}

TEST_CASE("auth: passwords are stored only as salted hashes and the SRP salt and verifier") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool();
  f.CreateConfirmedUser(pool, "ivan", kPassword);
  store::Txn txn(f.env(), store::Txn::Mode::kRead);
  auto raw = txn.Get(store::Table::kUsers, store::keys::Tuple({pool, "ivan"}));
  REQUIRE(raw);
  CHECK(std::string(*raw).find(kPassword) == std::string::npos);  // nowhere in the stored bytes
  json record = *txn.GetJson(store::Table::kUsers, store::keys::Tuple({pool, "ivan"}));
  auto hash = crypto::PasswordHash::FromJson(record["Password"]);
  REQUIRE(hash);
  CHECK(crypto::VerifyPassword(kPassword, *hash));
  CHECK_FALSE(crypto::VerifyPassword("Passw0rd?", *hash));
  CHECK(hash->iterations == 100);  // --password-iterations' default
  // SRP: v = g^x, x = H(salt | H(poolName | username | ":" | password)); nothing else is kept.
  const std::string pool_name = pool.substr(pool.find('_') + 1);
  const std::string salt = record["Srp"]["salt"];
  CHECK(salt.size() == 32);
  CHECK(record["Srp"]["verifier"] ==
        crypto::srp::ToHex(crypto::srp::Verifier(*crypto::srp::FromHex(salt),
                                                 crypto::srp::PasswordInner(pool_name, "ivan", kPassword))));
  CHECK_FALSE(record["Srp"].contains("inner"));
  CHECK(record.size() == 8);  // Username, Attributes, UserStatus, Enabled, the two dates, Password, Srp
}

TEST_CASE("users: email as username makes the sub the username; case-insensitive pools fold") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool({{"UsernameAttributes", {"email"}},
                                         {"UsernameConfiguration", {{"CaseSensitive", false}}}});
  const std::string client_id = f.CreateClient(pool)["ClientId"];
  CallResult not_email = f.Call("SignUp", {{"ClientId", client_id}, {"Username", "jill"}, {"Password", kPassword}});
  CHECK(not_email.message() == "Username should be an email.");
  json up = f.Ok("SignUp", {{"ClientId", client_id}, {"Username", "Jill@Example.com"}, {"Password", kPassword}});
  const std::string sub = up["UserSub"];
  CallResult taken = f.Call("SignUp", {{"ClientId", client_id}, {"Username", "jill@example.com"}, {"Password", kPassword}});
  CHECK(taken.type() == "UsernameExistsException");
  CHECK(taken.message() == "An account with the given email already exists.");
  f.Ok("AdminConfirmSignUp", {{"UserPoolId", pool}, {"Username", "JILL@example.com"}});
  CallResult r = f.PasswordAuth(client_id, "jill@EXAMPLE.com", kPassword);
  REQUIRE(r.ok());
  json access = EmulatorFixture::Claims(r.body["AuthenticationResult"]["AccessToken"]);
  CHECK(access["username"] == sub);
  json id = EmulatorFixture::Claims(r.body["AuthenticationResult"]["IdToken"]);
  CHECK(id["cognito:username"] == sub);
  CHECK(id["email"] == "Jill@Example.com");
}

TEST_CASE("users: a verified alias signs in; duplicate usernames are refused") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool({{"AliasAttributes", {"email"}}});
  const std::string client_id = f.CreateClient(pool)["ClientId"];
  f.CreateConfirmedUser(pool, "kate", kPassword, {{{"Name", "email"}, {"Value", "kate@example.com"}}});
  // Unverified email is not an alias yet.
  CHECK(f.PasswordAuth(client_id, "kate@example.com", kPassword).type() == "UserNotFoundException");
  f.CreateConfirmedUser(pool, "lena", kPassword,
                        {{{"Name", "email"}, {"Value", "lena@example.com"}}, {{"Name", "email_verified"}, {"Value", "true"}}});
  CHECK(f.PasswordAuth(client_id, "lena@example.com", kPassword).ok());
  CallResult dup = f.Call("AdminCreateUser", {{"UserPoolId", pool}, {"Username", "kate"}});
  CHECK(dup.type() == "UsernameExistsException");
  CHECK(dup.message() == "User account already exists");
  CallResult dup_signup = f.Call("SignUp", {{"ClientId", client_id}, {"Username", "kate"}, {"Password", kPassword}});
  CHECK(dup_signup.message() == "User already exists");
  CallResult email_like = f.Call("SignUp", {{"ClientId", client_id}, {"Username", "x@example.com"}, {"Password", kPassword}});
  CHECK(email_like.type() == "InvalidParameterException");
}

TEST_CASE("signup: codes confirm once, expire by the clock, and reach the outbox") {
  EmulatorFixture f;
  const std::string pool = f.CreatePool({{"AutoVerifiedAttributes", {"email"}}});
  const std::string client_id = f.CreateClient(pool)["ClientId"];
  json up = f.Ok("SignUp", {{"ClientId", client_id}, {"Username", "mike"}, {"Password", kPassword},
                            {"UserAttributes", {{{"Name", "email"}, {"Value", "mike@example.com"}}}}});
  CHECK(up["UserConfirmed"] == false);
  CHECK(up["CodeDeliveryDetails"] == json{{"AttributeName", "email"}, {"DeliveryMedium", "EMAIL"},
                                          {"Destination", "m***@e***"}});
  CallResult wrong = f.Call("ConfirmSignUp", {{"ClientId", client_id}, {"Username", "mike"}, {"ConfirmationCode", "000000"}});
  // (a seeded code could be 000000 only by a one-in-a-million chance)
  CHECK(wrong.type() == "CodeMismatchException");
  CHECK(wrong.message() == "Invalid verification code provided, please try again.");
  f.clock().Advance(int64_t{24} * 3600 * 1000 + 1000);
  CallResult expired = f.Call("ConfirmSignUp", {{"ClientId", client_id}, {"Username", "mike"}, {"ConfirmationCode", "123456"}});
  CHECK(expired.type() == "ExpiredCodeException");
  CHECK(expired.message() == "Invalid code provided, please request a code again.");
  json resent = f.Ok("ResendConfirmationCode", {{"ClientId", client_id}, {"Username", "mike"}});
  CHECK(resent["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL");
}

TEST_CASE("signup: AllowAdminCreateUserOnly and the password policy") {
  EmulatorFixture f;
  const std::string closed = f.CreatePool({{"AdminCreateUserConfig", {{"AllowAdminCreateUserOnly", true}}}});
  const std::string client_id = f.CreateClient(closed)["ClientId"];
  CallResult r = f.Call("SignUp", {{"ClientId", client_id}, {"Username", "nina"}, {"Password", kPassword}});
  CHECK(r.type() == "NotAuthorizedException");
  CHECK(r.message() == "SignUp is not permitted for this user pool");

  const std::string open = f.CreatePool();
  const std::string open_client = f.CreateClient(open)["ClientId"];
  // The model marks Password optional (passwordless pools); a password pool requires it, and
  // answers as the model-driven validation would (Amplify matches 'password' and "not be null").
  CallResult no_password = f.Call("SignUp", {{"ClientId", open_client}, {"Username", "nina"}});
  CHECK(no_password.type() == "InvalidParameterException");
  CHECK(no_password.message() ==
        "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null");
  CallResult weak = f.Call("SignUp", {{"ClientId", open_client}, {"Username", "nina"}, {"Password", "password1!"}});
  CHECK(weak.type() == "InvalidPasswordException");
  CHECK(weak.message().rfind("Password did not conform with policy: ", 0) == 0);
  CallResult admin_weak = f.Call("AdminSetUserPassword", {{"UserPoolId", open}, {"Username", "nobody"}, {"Password", "x"}});
  CHECK(admin_weak.type() == "UserNotFoundException");
}

}  // namespace
}  // namespace cogemu::testing
