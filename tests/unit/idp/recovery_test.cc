// Password recovery: ForgotPassword / ConfirmForgotPassword, AdminResetUserPassword and
// ChangePassword, driven through the dispatcher with a fake clock.
#include <doctest/doctest.h>

#include "emulator/idp/outbox.h"
#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {
namespace {

const char* kPassword = "Passw0rd!";
const char* kNewPassword = "N3w-Passw0rd";
const char* kMismatch = "Invalid verification code provided, please try again.";
const char* kExpired = "Invalid code provided, please request a code again.";
const char* kNoChannel =
    "Cannot reset password for the user as there is no registered/verified email or phone_number";

json VerifiedEmail(const std::string& email) {
  return {{{"Name", "email"}, {"Value", email}}, {{"Name", "email_verified"}, {"Value", "true"}}};
}

struct Recovery {
  EmulatorFixture f;
  std::string pool;
  std::string client_id;
  explicit Recovery(json pool_extra = json::object(), json client_extra = json::object()) {
    pool = f.CreatePool(pool_extra);
    client_id = f.CreateClient(pool, client_extra)["ClientId"];
  }
  json Messages(const std::string& username) {
    store::Txn txn(f.env(), store::Txn::Mode::kRead);
    return idp::ListMessages(txn, pool, username);
  }
  json LastMessage(const std::string& username) {
    json m = Messages(username);
    REQUIRE(!m.empty());
    return m.back();
  }
  CallResult Forgot(const std::string& username) {
    return f.Call("ForgotPassword", {{"ClientId", client_id}, {"Username", username}});
  }
  CallResult Confirm(const std::string& username, const std::string& code, const std::string& password) {
    return f.Call("ConfirmForgotPassword", {{"ClientId", client_id},
                                            {"Username", username},
                                            {"ConfirmationCode", code},
                                            {"Password", password}});
  }
  std::string Status(const std::string& username) {
    return f.Ok("AdminGetUser", {{"UserPoolId", pool}, {"Username", username}})["UserStatus"];
  }
  std::string AccessToken(const std::string& username, const std::string& password) {
    CallResult r = f.PasswordAuth(client_id, username, password);
    REQUIRE(r.ok());
    return r.body["AuthenticationResult"]["AccessToken"];
  }
};

TEST_CASE("recovery: ForgotPassword sends a 6-digit code to the verified email, valid for an hour") {
  Recovery s;
  s.f.CreateConfirmedUser(s.pool, "alice", kPassword, VerifiedEmail("alice@example.com"));
  CallResult r = s.Forgot("alice");
  REQUIRE(r.ok());
  CHECK(r.body["CodeDeliveryDetails"] ==
        json({{"AttributeName", "email"}, {"DeliveryMedium", "EMAIL"}, {"Destination", "a***@e***"}}));
  json m = s.LastMessage("alice");
  CHECK(m["reason"] == "ForgotPassword");
  CHECK(m["destination"] == "alice@example.com");
  const std::string code = m["code"];
  CHECK(code.size() == 6);
  CHECK(code.find_first_not_of("0123456789") == std::string::npos);

  CallResult wrong = s.Confirm("alice", code == "000000" ? "111111" : "000000", kNewPassword);
  CHECK(wrong.type() == "CodeMismatchException");
  CHECK(wrong.message() == kMismatch);

  CallResult weak = s.Confirm("alice", code, "weak");
  CHECK(weak.type() == "InvalidPasswordException");
  CHECK(weak.message().rfind("Password did not conform with policy: ", 0) == 0);

  s.f.clock().Advance(3599 * 1000);
  REQUIRE(s.Confirm("alice", code, kNewPassword).ok());
  CHECK(s.Status("alice") == "CONFIRMED");
  CHECK(s.f.PasswordAuth(s.client_id, "alice", kNewPassword).ok());
  CHECK(s.f.PasswordAuth(s.client_id, "alice", kPassword).message() == "Incorrect username or password.");

  CallResult reused = s.Confirm("alice", code, "An0ther-Passw0rd");
  CHECK(reused.type() == "ExpiredCodeException");
  CHECK(reused.message() == kExpired);
}

TEST_CASE("recovery: forgot-password codes expire after an hour; none requested is ExpiredCode") {
  Recovery s;
  s.f.CreateConfirmedUser(s.pool, "alice", kPassword, VerifiedEmail("alice@example.com"));
  CallResult none = s.Confirm("alice", "123456", kNewPassword);
  CHECK(none.type() == "ExpiredCodeException");
  CHECK(none.message() == kExpired);
  REQUIRE(s.Forgot("alice").ok());
  const std::string code = s.LastMessage("alice")["code"];
  s.f.clock().Advance(3600 * 1000);
  CallResult late = s.Confirm("alice", code, kNewPassword);
  CHECK(late.type() == "ExpiredCodeException");
  CHECK(late.message() == kExpired);
}

TEST_CASE("recovery: channel choice follows AccountRecoverySetting, else phone then email") {
  json both = {{{"Name", "email"}, {"Value", "bob@example.com"}},
               {{"Name", "email_verified"}, {"Value", "true"}},
               {{"Name", "phone_number"}, {"Value", "+15551234567"}},
               {{"Name", "phone_number_verified"}, {"Value", "true"}}};
  {
    Recovery s;
    s.f.CreateConfirmedUser(s.pool, "bob", kPassword, both);
    json d = s.Forgot("bob").body["CodeDeliveryDetails"];
    CHECK(d["AttributeName"] == "phone_number");
    CHECK(d["DeliveryMedium"] == "SMS");
    CHECK(d["Destination"] == "+*******4567");
    CHECK(s.LastMessage("bob")["destination"] == "+15551234567");
  }
  {
    Recovery s(json{{"AccountRecoverySetting",
                 {{"RecoveryMechanisms",
                   {{{"Priority", 2}, {"Name", "verified_phone_number"}},
                    {{"Priority", 1}, {"Name", "verified_email"}}}}}}});
    s.f.CreateConfirmedUser(s.pool, "bob", kPassword, both);
    CHECK(s.Forgot("bob").body["CodeDeliveryDetails"]["AttributeName"] == "email");
  }
  {
    Recovery s(json{{"AccountRecoverySetting", {{"RecoveryMechanisms", {{{"Priority", 1}, {"Name", "admin_only"}}}}}}});
    s.f.CreateConfirmedUser(s.pool, "bob", kPassword, both);
    CallResult r = s.Forgot("bob");
    CHECK(r.type() == "NotAuthorizedException");
    CHECK(r.message() == "Contact administrator to reset password.");
  }
  {
    // Only an unverified email: nothing to send to.
    Recovery s(json{{"AccountRecoverySetting",
                 {{"RecoveryMechanisms", {{{"Priority", 1}, {"Name", "verified_phone_number"}}}}}}});
    s.f.CreateConfirmedUser(s.pool, "bob", kPassword, VerifiedEmail("bob@example.com"));
    CallResult r = s.Forgot("bob");
    CHECK(r.type() == "InvalidParameterException");
    CHECK(r.message() == kNoChannel);
    CHECK(s.Messages("bob").empty());
  }
}

TEST_CASE("recovery: unknown and disabled users per PreventUserExistenceErrors") {
  {
    Recovery s;
    CallResult r = s.Forgot("ghost");
    CHECK(r.type() == "UserNotFoundException");
    CHECK(r.message() == "User does not exist.");
    CallResult c = s.Confirm("ghost", "123456", kNewPassword);
    CHECK(c.type() == "UserNotFoundException");
    s.f.CreateConfirmedUser(s.pool, "dis", kPassword, VerifiedEmail("dis@example.com"));
    s.f.Ok("AdminDisableUser", {{"UserPoolId", s.pool}, {"Username", "dis"}});
    CallResult d = s.Forgot("dis");
    CHECK(d.type() == "NotAuthorizedException");
    CHECK(d.message() == "User is disabled.");
    s.f.CreateConfirmedUser(s.pool, "plain", kPassword);
    CallResult p = s.Forgot("plain");
    CHECK(p.type() == "InvalidParameterException");
    CHECK(p.message() == kNoChannel);
  }
  {
    Recovery s(json::object(), {{"PreventUserExistenceErrors", "ENABLED"}});
    CallResult r = s.Forgot("ghost@example.org");
    REQUIRE(r.ok());
    CHECK(r.body["CodeDeliveryDetails"]["Destination"] == "g***@e***");
    CHECK(r.body["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL");
    CHECK(s.Forgot("ghost").ok());
    CHECK(s.Messages("").empty());
    CallResult c = s.Confirm("ghost", "123456", kNewPassword);
    CHECK(c.type() == "CodeMismatchException");
    CHECK(c.message() == kMismatch);
  }
}

TEST_CASE("recovery: AdminResetUserPassword requires a reset, and the code completes it") {
  Recovery s;
  s.f.CreateConfirmedUser(s.pool, "carol", kPassword, VerifiedEmail("carol@example.com"));
  s.f.Ok("AdminResetUserPassword", {{"UserPoolId", s.pool}, {"Username", "carol"}});
  CHECK(s.Status("carol") == "RESET_REQUIRED");
  json m = s.LastMessage("carol");
  CHECK(m["reason"] == "AdminResetUserPassword");
  CallResult signin = s.f.PasswordAuth(s.client_id, "carol", kPassword);
  CHECK(signin.type() == "PasswordResetRequiredException");
  CHECK(signin.message() == "Password reset required for the user");
  REQUIRE(s.Confirm("carol", m["code"], kNewPassword).ok());
  CHECK(s.Status("carol") == "CONFIRMED");
  CHECK(s.f.PasswordAuth(s.client_id, "carol", kNewPassword).ok());

  s.f.CreateConfirmedUser(s.pool, "dave", kPassword);
  CallResult none = s.f.Call("AdminResetUserPassword", {{"UserPoolId", s.pool}, {"Username", "dave"}});
  CHECK(none.type() == "InvalidParameterException");
  CHECK(none.message() == kNoChannel);
  CHECK(s.Status("dave") == "CONFIRMED");
  CallResult ghost = s.f.Call("AdminResetUserPassword", {{"UserPoolId", s.pool}, {"Username", "ghost"}});
  CHECK(ghost.type() == "UserNotFoundException");
}

TEST_CASE("recovery: ConfirmForgotPassword clears a lockout and confirms FORCE_CHANGE_PASSWORD users") {
  Recovery s;
  s.f.CreateConfirmedUser(s.pool, "erin", kPassword, VerifiedEmail("erin@example.com"));
  for (int i = 0; i < 6; ++i) s.f.PasswordAuth(s.client_id, "erin", "Wrong-Passw0rd");
  CHECK(s.f.PasswordAuth(s.client_id, "erin", kPassword).message() == "Password attempts exceeded");
  REQUIRE(s.Forgot("erin").ok());
  REQUIRE(s.Confirm("erin", s.LastMessage("erin")["code"], kNewPassword).ok());
  CHECK(s.f.PasswordAuth(s.client_id, "erin", kNewPassword).ok());

  s.f.Ok("AdminCreateUser", {{"UserPoolId", s.pool},
                             {"Username", "fay"},
                             {"MessageAction", "SUPPRESS"},
                             {"TemporaryPassword", "Tmp-Passw0rd"},
                             {"UserAttributes", VerifiedEmail("fay@example.com")}});
  CHECK(s.Status("fay") == "FORCE_CHANGE_PASSWORD");
  REQUIRE(s.Forgot("fay").ok());
  REQUIRE(s.Confirm("fay", s.LastMessage("fay")["code"], kNewPassword).ok());
  CHECK(s.Status("fay") == "CONFIRMED");
  CHECK(s.f.PasswordAuth(s.client_id, "fay", kNewPassword).ok());
}

TEST_CASE("recovery: ChangePassword checks the previous password and the policy") {
  Recovery s;
  s.f.CreateConfirmedUser(s.pool, "gus", kPassword);
  const std::string token = s.AccessToken("gus", kPassword);
  CallResult wrong = s.f.Call("ChangePassword", {{"AccessToken", token},
                                                 {"PreviousPassword", "Wrong-Passw0rd"},
                                                 {"ProposedPassword", kNewPassword}});
  CHECK(wrong.type() == "NotAuthorizedException");
  CHECK(wrong.message() == "Incorrect username or password.");
  CallResult weak = s.f.Call("ChangePassword",
                             {{"AccessToken", token}, {"PreviousPassword", kPassword}, {"ProposedPassword", "short"}});
  CHECK(weak.type() == "InvalidPasswordException");
  CHECK(weak.message() == "Password did not conform with policy: Password not long enough");
  CHECK(s.f.Ok("ChangePassword",
               {{"AccessToken", token}, {"PreviousPassword", kPassword}, {"ProposedPassword", kNewPassword}})
            .empty());
  CHECK(s.f.PasswordAuth(s.client_id, "gus", kNewPassword).ok());
  CHECK(s.f.PasswordAuth(s.client_id, "gus", kPassword).message() == "Incorrect username or password.");
  CallResult bad = s.f.Call("ChangePassword",
                            {{"AccessToken", "nope"}, {"PreviousPassword", kPassword}, {"ProposedPassword", kNewPassword}});
  CHECK(bad.type() == "NotAuthorizedException");
}

TEST_CASE("recovery: ChangePassword allows 5 attempts per user per hour") {
  Recovery s;
  s.f.CreateConfirmedUser(s.pool, "hal", kPassword);
  const std::string token = s.AccessToken("hal", kPassword);
  std::string current = kPassword;
  for (int i = 0; i < 5; ++i) {
    const std::string next = "N3w-Passw0rd" + std::to_string(i);
    s.f.Ok("ChangePassword", {{"AccessToken", token}, {"PreviousPassword", current}, {"ProposedPassword", next}});
    current = next;
    s.f.clock().Advance(60 * 1000);
  }
  CallResult limited = s.f.Call("ChangePassword",
                                {{"AccessToken", token}, {"PreviousPassword", current}, {"ProposedPassword", kNewPassword}});
  CHECK(limited.type() == "LimitExceededException");
  CHECK(limited.message() == "Attempt limit exceeded, please try after some time.");
  s.f.clock().Advance(56 * 60 * 1000);  // the first attempt is now an hour old
  const std::string fresh = s.AccessToken("hal", current);
  s.f.Ok("ChangePassword", {{"AccessToken", fresh}, {"PreviousPassword", current}, {"ProposedPassword", kNewPassword}});
}

}  // namespace
}  // namespace cogemu::testing
