// User attribute updates and verification through the dispatcher with a fake clock: codes and
// their expiry, pending values (AttributesRequireVerificationBeforeUpdate), aliases and
// ForceAliasCreation, the hourly quotas, and the claims of tokens issued afterwards.
#include <doctest/doctest.h>

#include "emulator/idp/outbox.h"
#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {
namespace {

const char* kPassword = "Passw0rd!";
const char* kMismatch = "Invalid verification code provided, please try again.";
const char* kExpired = "Invalid code provided, please request a code again.";

json Attr(const char* name, const std::string& value) { return {{"Name", name}, {"Value", value}}; }

struct Attrs {
  EmulatorFixture f;
  std::string pool;
  std::string client_id;
  explicit Attrs(json pool_extra) {
    pool = f.CreatePool(std::move(pool_extra));
    client_id = f.CreateClient(pool)["ClientId"];
  }
  std::string AccessToken(const std::string& username) {
    CallResult r = f.PasswordAuth(client_id, username, kPassword);
    INFO(r.body.dump());
    REQUIRE(r.ok());
    return r.body["AuthenticationResult"]["AccessToken"];
  }
  std::string LastCode(const std::string& destination) {
    store::Txn txn(f.env(), store::Txn::Mode::kRead);
    json messages = idp::ListMessages(txn, pool, destination);
    REQUIRE(!messages.empty());
    return messages.back()["code"];
  }
  json Attributes(const std::string& username) {
    const json user = f.Ok("AdminGetUser", {{"UserPoolId", pool}, {"Username", username}});
    json out = json::object();
    for (const json& attr : user["UserAttributes"]) out[attr["Name"].get<std::string>()] = attr["Value"];
    return out;
  }
};

json EmailPool(bool verify_before_update) {
  json p = {{"UsernameAttributes", {"email"}}, {"AutoVerifiedAttributes", {"email"}}};
  if (verify_before_update) p["UserAttributeUpdateSettings"] = {{"AttributesRequireVerificationBeforeUpdate", {"email"}}};
  return p;
}

TEST_CASE("attributes: a changed email waits for verification, and the old one keeps signing in") {
  Attrs a(EmailPool(true));
  a.f.CreateConfirmedUser(a.pool, "old@x.co", kPassword, {Attr("email_verified", "true")});
  const std::string token = a.AccessToken("old@x.co");
  const json out = a.f.Ok("UpdateUserAttributes", {{"AccessToken", token}, {"UserAttributes", {Attr("email", "new@x.co")}}});
  REQUIRE(out["CodeDeliveryDetailsList"].size() == 1);
  CHECK(out["CodeDeliveryDetailsList"][0] ==
        json{{"AttributeName", "email"}, {"DeliveryMedium", "EMAIL"}, {"Destination", "n***@x***"}});
  CHECK(a.Attributes("old@x.co")["email"] == "old@x.co");
  CHECK(a.Attributes("old@x.co")["email_verified"] == "true");
  a.AccessToken("old@x.co");  // still the sign-in name
  CHECK(a.f.PasswordAuth(a.client_id, "new@x.co", kPassword).type() == "UserNotFoundException");

  const std::string code = a.LastCode("new@x.co");
  CallResult wrong = a.f.Call("VerifyUserAttribute",
                              {{"AccessToken", token}, {"AttributeName", "email"}, {"Code", code == "000000" ? "111111" : "000000"}});
  CHECK(wrong.type() == "CodeMismatchException");
  CHECK(wrong.message() == kMismatch);
  a.f.Ok("VerifyUserAttribute", {{"AccessToken", token}, {"AttributeName", "email"}, {"Code", code}});
  CHECK(a.Attributes("new@x.co")["email"] == "new@x.co");
  CHECK(a.Attributes("new@x.co")["email_verified"] == "true");
  CHECK(a.f.PasswordAuth(a.client_id, "old@x.co", kPassword).type() == "UserNotFoundException");
  const json id = EmulatorFixture::Claims(
      a.f.PasswordAuth(a.client_id, "new@x.co", kPassword).body["AuthenticationResult"]["IdToken"]);
  CHECK(id["email"] == "new@x.co");
  CHECK(id["email_verified"] == true);
  // The code was used up.
  CallResult again = a.f.Call("VerifyUserAttribute", {{"AccessToken", token}, {"AttributeName", "email"}, {"Code", code}});
  CHECK(again.type() == "ExpiredCodeException");
  CHECK(again.message() == kExpired);
}

TEST_CASE("attributes: without verification before update the email changes at once, unverified") {
  Attrs a(EmailPool(false));
  a.f.CreateConfirmedUser(a.pool, "old@x.co", kPassword, {Attr("email_verified", "true")});
  a.f.CreateConfirmedUser(a.pool, "taken@x.co", kPassword);
  const std::string token = a.AccessToken("old@x.co");
  a.f.Ok("UpdateUserAttributes", {{"AccessToken", token}, {"UserAttributes", {Attr("email", "new@x.co")}}});
  CHECK(a.Attributes("new@x.co")["email_verified"] == "false");
  const json id = EmulatorFixture::Claims(
      a.f.PasswordAuth(a.client_id, "new@x.co", kPassword).body["AuthenticationResult"]["IdToken"]);
  CHECK(id["email"] == "new@x.co");
  CHECK(id["email_verified"] == false);

  CallResult taken = a.f.Call("UpdateUserAttributes", {{"AccessToken", token}, {"UserAttributes", {Attr("email", "taken@x.co")}}});
  CHECK(taken.type() == "AliasExistsException");
  CHECK(taken.message() == "An account with the given email already exists.");

  // A code older than 24 hours is expired.
  const std::string code = a.LastCode("new@x.co");
  a.f.clock().Advance(24 * 3600 * 1000LL + 1000);
  CallResult late = a.f.Call("VerifyUserAttribute", {{"AccessToken", a.AccessToken("new@x.co")},
                                                     {"AttributeName", "email"},
                                                     {"Code", code}});
  CHECK(late.type() == "ExpiredCodeException");
  CHECK(late.message() == kExpired);
}

TEST_CASE("attributes: a verified alias held by another user, and ForceAliasCreation") {
  Attrs a(json{{"AliasAttributes", {"email"}}, {"AutoVerifiedAttributes", {"email"}}});
  a.f.CreateConfirmedUser(a.pool, "alice", kPassword, {Attr("email", "a@x.co"), Attr("email_verified", "true")});
  a.f.CreateConfirmedUser(a.pool, "bob", kPassword);
  a.f.CreateConfirmedUser(a.pool, "dave", kPassword);
  const std::string bob = a.AccessToken("bob");
  // An unverified duplicate is allowed; verifying it moves the alias to bob, and alice keeps the
  // value unverified.
  a.f.Ok("UpdateUserAttributes", {{"AccessToken", bob}, {"UserAttributes", {Attr("email", "a@x.co")}}});
  CHECK(a.f.Ok("AdminGetUser", {{"UserPoolId", a.pool}, {"Username", "a@x.co"}})["Username"] == "alice");
  a.f.Ok("VerifyUserAttribute", {{"AccessToken", bob}, {"AttributeName", "email"}, {"Code", a.LastCode("bob")}});
  CHECK(a.f.Ok("AdminGetUser", {{"UserPoolId", a.pool}, {"Username", "a@x.co"}})["Username"] == "bob");
  CHECK(a.Attributes("alice")["email"] == "a@x.co");
  CHECK(a.Attributes("alice")["email_verified"] == "false");
  CHECK(a.Attributes("bob")["email_verified"] == "true");
  // An admin setting the value verified moves it the same way.
  a.f.Ok("AdminUpdateUserAttributes",
         {{"UserPoolId", a.pool},
          {"Username", "dave"},
          {"UserAttributes", {Attr("email", "a@x.co"), Attr("email_verified", "true")}}});
  CHECK(a.f.Ok("AdminGetUser", {{"UserPoolId", a.pool}, {"Username", "a@x.co"}})["Username"] == "dave");
  CHECK(a.Attributes("bob")["email_verified"] == "false");
  // Give the alias back to alice so AdminCreateUser below collides with her.
  a.f.Ok("AdminUpdateUserAttributes", {{"UserPoolId", a.pool},
                                       {"Username", "alice"},
                                       {"UserAttributes", {Attr("email_verified", "true")}}});
  CHECK(a.Attributes("dave")["email_verified"] == "false");

  // AdminCreateUser: refused without ForceAliasCreation, moves the alias with it.
  const json create = {{"UserPoolId", a.pool},
                       {"Username", "carol"},
                       {"MessageAction", "SUPPRESS"},
                       {"UserAttributes", {Attr("email", "a@x.co"), Attr("email_verified", "true")}}};
  CHECK(a.f.Call("AdminCreateUser", create).type() == "AliasExistsException");
  json forced = create;
  forced["ForceAliasCreation"] = true;
  a.f.Ok("AdminCreateUser", forced);
  CHECK(a.Attributes("alice")["email_verified"] == "false");
  CHECK(a.Attributes("alice")["email"] == "a@x.co");
  CHECK(a.f.Ok("AdminGetUser", {{"UserPoolId", a.pool}, {"Username", "a@x.co"}})["Username"] == "carol");
}

TEST_CASE("attributes: deletion, required and immutable attributes, client permissions") {
  Attrs a(json{{"AliasAttributes", {"email"}},
           {"Schema", {{{"Name", "given_name"}, {"Required", true}},
                       {{"Name", "code"}, {"AttributeDataType", "String"}, {"Mutable", false}}}}});
  a.f.CreateConfirmedUser(a.pool, "alice", kPassword,
                          {Attr("given_name", "Al"), Attr("email", "a@x.co"), Attr("email_verified", "true"),
                           Attr("custom:code", "c1"), Attr("locale", "en")});
  const std::string token = a.AccessToken("alice");
  CallResult required = a.f.Call("DeleteUserAttributes", {{"AccessToken", token}, {"UserAttributeNames", {"given_name"}}});
  CHECK(required.type() == "InvalidParameterException");
  CHECK(required.message() == "user.given_name: Required attribute cannot be deleted.\n");
  CallResult immutable = a.f.Call("UpdateUserAttributes", {{"AccessToken", token}, {"UserAttributes", {Attr("custom:code", "c2")}}});
  CHECK(immutable.message() == "user.custom:code: Attribute cannot be updated.\n");
  CallResult flag = a.f.Call("UpdateUserAttributes", {{"AccessToken", token}, {"UserAttributes", {Attr("email_verified", "true")}}});
  CHECK(flag.type() == "NotAuthorizedException");

  a.f.Ok("DeleteUserAttributes", {{"AccessToken", token}, {"UserAttributeNames", {"email", "locale"}}});
  const json left = a.Attributes("alice");
  CHECK_FALSE(left.contains("email"));
  CHECK_FALSE(left.contains("email_verified"));
  CHECK_FALSE(left.contains("locale"));
  CHECK(a.f.PasswordAuth(a.client_id, "a@x.co", kPassword).type() == "UserNotFoundException");
  CallResult none = a.f.Call("GetUserAttributeVerificationCode", {{"AccessToken", token}, {"AttributeName", "email"}});
  CHECK(none.type() == "InvalidParameterException");
  CallResult other = a.f.Call("GetUserAttributeVerificationCode", {{"AccessToken", token}, {"AttributeName", "locale"}});
  CHECK(other.message() == "Invalid attribute name. Only phone_number and email can be verified.");
}

TEST_CASE("attributes: hourly quotas of code requests and verification attempts") {
  Attrs a(json{{"AliasAttributes", {"email"}}});
  a.f.CreateConfirmedUser(a.pool, "alice", kPassword, {Attr("email", "a@x.co")});
  const std::string token = a.AccessToken("alice");
  const json request = {{"AccessToken", token}, {"AttributeName", "email"}};
  for (int i = 0; i < 5; ++i) a.f.Ok("GetUserAttributeVerificationCode", request);
  CallResult limited = a.f.Call("GetUserAttributeVerificationCode", request);
  CHECK(limited.type() == "LimitExceededException");
  CHECK(limited.message() == "Attempt limit exceeded, please try after some time.");

  const std::string code = a.LastCode("a@x.co");
  const json wrong = {{"AccessToken", token}, {"AttributeName", "email"}, {"Code", code == "000000" ? "111111" : "000000"}};
  for (int i = 0; i < 15; ++i) CHECK(a.f.Call("VerifyUserAttribute", wrong).type() == "CodeMismatchException");
  CHECK(a.f.Call("VerifyUserAttribute", wrong).type() == "LimitExceededException");
  a.f.clock().Advance(3600 * 1000LL);  // a new hour (and a new access token: the old one expired)
  const std::string fresh = a.AccessToken("alice");
  a.f.Ok("GetUserAttributeVerificationCode", {{"AccessToken", fresh}, {"AttributeName", "email"}});
  a.f.Ok("VerifyUserAttribute", {{"AccessToken", fresh}, {"AttributeName", "email"}, {"Code", a.LastCode("a@x.co")}});
  CHECK(a.Attributes("alice")["email_verified"] == "true");
}

}  // namespace
}  // namespace cogemu::testing
