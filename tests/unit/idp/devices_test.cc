// Remembered devices: NewDeviceMetadata, ConfirmDevice, the device's SRP proof, MFA skipped on a
// remembered device, refresh bound to the device, ForgetDevice, and the listings.
#include <doctest/doctest.h>

#include "emulator/crypto/srp.h"
#include "emulator/crypto/totp.h"
#include "tests/unit/support/emulator_fixture.h"
#include "tests/unit/support/srp_client.h"

namespace cogemu::testing {
namespace {

const char* kPassword = "Passw0rd!";
const std::string kDevicePassword = "device-password-from-the-client";

struct DevicePool {
  EmulatorFixture f;
  SeededRandom random{7};
  std::string pool;
  std::string client_id;
  explicit DevicePool(bool on_prompt = false, bool skip_mfa = true) {
    pool = f.CreatePool({{"DeviceConfiguration",
                          {{"ChallengeRequiredOnNewDevice", skip_mfa}, {"DeviceOnlyRememberedOnUserPrompt", on_prompt}}}});
    f.Ok("SetUserPoolMfaConfig",
         {{"UserPoolId", pool}, {"MfaConfiguration", "OPTIONAL"}, {"SoftwareTokenMfaConfiguration", {{"Enabled", true}}}});
    client_id = f.CreateClient(pool)["ClientId"];
    f.CreateConfirmedUser(pool, "dora", kPassword);
  }
  CallResult SignIn(json extra = json::object()) { return f.PasswordAuth(client_id, "dora", kPassword, extra); }
  CallResult Answer(const std::string& name, const std::string& session, json responses) {
    return f.Call("RespondToAuthChallenge", {{"ClientId", client_id},
                                             {"ChallengeName", name},
                                             {"Session", session},
                                             {"ChallengeResponses", responses}});
  }
  // Signs in, confirms the new device as the clients do; returns {DeviceKey, DeviceGroupKey, tokens}.
  json NewConfirmedDevice() {
    CallResult r = SignIn();
    REQUIRE(r.ok());
    const json result = r.body["AuthenticationResult"];
    REQUIRE(result.contains("NewDeviceMetadata"));
    const json meta = result["NewDeviceMetadata"];
    const json confirmed = f.Ok(
        "ConfirmDevice", {{"AccessToken", result["AccessToken"]},
                          {"DeviceKey", meta["DeviceKey"]},
                          {"DeviceName", "test phone"},
                          {"DeviceSecretVerifierConfig",
                           DeviceVerifierConfig(meta["DeviceGroupKey"], meta["DeviceKey"], kDevicePassword,
                                                random.Bytes(16))}});
    json out = meta;
    out["UserConfirmationNecessary"] = confirmed["UserConfirmationNecessary"];
    out["AuthenticationResult"] = result;
    return out;
  }
  // DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER → the answer to the device proof.
  CallResult ProveDevice(const json& challenge, const json& device, const std::string& password = kDevicePassword) {
    SrpClient c(random);
    CallResult verifier = Answer("DEVICE_SRP_AUTH", challenge["Session"],
                                 {{"USERNAME", "dora"}, {"DEVICE_KEY", device["DeviceKey"]}, {"SRP_A", c.A_hex}});
    REQUIRE(verifier.ok());
    CHECK(verifier.body["ChallengeName"] == "DEVICE_PASSWORD_VERIFIER");
    const json& p = verifier.body["ChallengeParameters"];
    CHECK(p["DEVICE_KEY"] == device["DeviceKey"]);
    CHECK(p["USERNAME"] == "dora");
    const std::string ts = crypto::srp::FormatTimestamp(f.clock().NowSeconds());
    return Answer("DEVICE_PASSWORD_VERIFIER", verifier.body["Session"],
                  {{"USERNAME", "dora"},
                   {"DEVICE_KEY", device["DeviceKey"]},
                   {"PASSWORD_CLAIM_SECRET_BLOCK", p["SECRET_BLOCK"]},
                   {"TIMESTAMP", ts},
                   {"PASSWORD_CLAIM_SIGNATURE", c.Signature(p, device["DeviceGroupKey"], device["DeviceKey"], password, ts)}});
  }
  CallResult Refresh(const std::string& token, const std::string& device_key = "") {
    json params = {{"REFRESH_TOKEN", token}};
    if (!device_key.empty()) params["DEVICE_KEY"] = device_key;
    return f.Call("InitiateAuth", {{"ClientId", client_id}, {"AuthFlow", "REFRESH_TOKEN_AUTH"}, {"AuthParameters", params}});
  }
  void EnableTotp() {
    const std::string token = f.Ok("InitiateAuth", {{"ClientId", client_id},
                                                    {"AuthFlow", "USER_PASSWORD_AUTH"},
                                                    {"AuthParameters", {{"USERNAME", "dora"}, {"PASSWORD", kPassword}}}})
                                  ["AuthenticationResult"]["AccessToken"];
    const std::string secret = f.Ok("AssociateSoftwareToken", {{"AccessToken", token}})["SecretCode"];
    f.Ok("VerifySoftwareToken",
         {{"AccessToken", token},
          {"UserCode", crypto::Hotp(*crypto::Base32Decode(secret), crypto::TotpStep(f.clock().NowSeconds()))}});
    f.Ok("AdminSetUserMFAPreference",
         {{"UserPoolId", pool}, {"Username", "dora"}, {"SoftwareTokenMfaSettings", {{"Enabled", true}}}});
  }
};

TEST_CASE("devices: a new device per sign-in, confirmed by its verifier, then proved with device SRP") {
  DevicePool s;
  const json device = s.NewConfirmedDevice();
  const std::string key = device["DeviceKey"];
  CHECK(key.rfind("us-east-1_", 0) == 0);
  CHECK(key.size() == std::string("us-east-1_").size() + 36);
  CHECK(device["UserConfirmationNecessary"] == false);  // always remembered
  CHECK(EmulatorFixture::Claims(device["AuthenticationResult"]["AccessToken"])["device_key"] == key);

  CallResult challenge = s.SignIn({{"DEVICE_KEY", key}});
  REQUIRE(challenge.ok());
  CHECK(challenge.body["ChallengeName"] == "DEVICE_SRP_AUTH");
  CallResult done = s.ProveDevice(challenge.body, device);
  REQUIRE(done.ok());
  const json result = done.body["AuthenticationResult"];
  CHECK_FALSE(result.contains("NewDeviceMetadata"));
  CHECK(EmulatorFixture::Claims(result["AccessToken"])["device_key"] == key);
  const json got = s.f.Ok("AdminGetDevice", {{"UserPoolId", s.pool}, {"Username", "dora"}, {"DeviceKey", key}});
  CHECK(got["Device"].contains("DeviceLastAuthenticatedDate"));

  // A wrong device password is refused.
  CallResult again = s.SignIn({{"DEVICE_KEY", key}});
  CHECK(s.ProveDevice(again.body, device, "not-the-device-password").message() == "Incorrect username or password.");
}

TEST_CASE("devices: a remembered device stands in for MFA when ChallengeRequiredOnNewDevice") {
  DevicePool s;
  const json device = s.NewConfirmedDevice();
  s.EnableTotp();
  // Without the device: MFA.
  CHECK(s.SignIn().body["ChallengeName"] == "SOFTWARE_TOKEN_MFA");
  // With it: the device's proof, then tokens.
  CallResult challenge = s.SignIn({{"DEVICE_KEY", device["DeviceKey"]}});
  REQUIRE(challenge.body["ChallengeName"] == "DEVICE_SRP_AUTH");
  CHECK(s.ProveDevice(challenge.body, device).body.contains("AuthenticationResult"));
}

TEST_CASE("devices: without ChallengeRequiredOnNewDevice MFA comes first, then the device") {
  DevicePool s(false, false);
  const json device = s.NewConfirmedDevice();
  s.EnableTotp();
  CallResult challenge = s.SignIn({{"DEVICE_KEY", device["DeviceKey"]}});
  CHECK(challenge.body["ChallengeName"] == "SOFTWARE_TOKEN_MFA");
}

TEST_CASE("devices: refresh needs the confirmed device's key; ForgetDevice ends its refresh tokens") {
  DevicePool s;
  const json device = s.NewConfirmedDevice();
  const std::string refresh = device["AuthenticationResult"]["RefreshToken"];
  const std::string key = device["DeviceKey"];
  CallResult without = s.Refresh(refresh);
  CHECK(without.type() == "NotAuthorizedException");
  CHECK(without.message() == "Invalid Refresh Token.");
  CallResult with = s.Refresh(refresh, key);
  REQUIRE(with.ok());
  CHECK(EmulatorFixture::Claims(with.body["AuthenticationResult"]["AccessToken"])["device_key"] == key);
  CHECK_FALSE(with.body["AuthenticationResult"].contains("NewDeviceMetadata"));  // never on refresh

  s.f.Ok("ForgetDevice", {{"AccessToken", with.body["AuthenticationResult"]["AccessToken"]}, {"DeviceKey", key}});
  CHECK(s.Refresh(refresh, key).message() == "Invalid Refresh Token.");
  CallResult gone = s.f.Call("AdminGetDevice", {{"UserPoolId", s.pool}, {"Username", "dora"}, {"DeviceKey", key}});
  CHECK(gone.type() == "ResourceNotFoundException");
  CHECK(gone.message() == "Device does not exist.");
  // A password sign-in presenting the forgotten key is simply a new device.
  CallResult again = s.SignIn({{"DEVICE_KEY", key}});
  REQUIRE(again.ok());
  CHECK(again.body["AuthenticationResult"].contains("NewDeviceMetadata"));
}

TEST_CASE("devices: an unknown DEVICE_KEY in the SRP answer is reported before the session is used") {
  DevicePool s;
  const std::string client_id = s.f.CreateClient(s.pool, {{"ExplicitAuthFlows", {"ALLOW_USER_SRP_AUTH"}}})["ClientId"];
  SrpClient c(s.random);
  CallResult challenge = s.f.Call("InitiateAuth", {{"ClientId", client_id},
                                                   {"AuthFlow", "USER_SRP_AUTH"},
                                                   {"AuthParameters", {{"USERNAME", "dora"}, {"SRP_A", c.A_hex}}}});
  const json& p = challenge.body["ChallengeParameters"];
  const std::string pool_name = s.pool.substr(s.pool.find('_') + 1);
  const std::string ts = crypto::srp::FormatTimestamp(s.f.clock().NowSeconds());
  json responses = {{"USERNAME", "dora"},
                    {"PASSWORD_CLAIM_SECRET_BLOCK", p["SECRET_BLOCK"]},
                    {"TIMESTAMP", ts},
                    {"PASSWORD_CLAIM_SIGNATURE", c.Signature(p, pool_name, "dora", kPassword, ts)},
                    {"DEVICE_KEY", "us-east-1_00000000-0000-4000-8000-000000000000"}};
  auto answer = [&] {
    return s.f.Call("RespondToAuthChallenge", {{"ClientId", client_id},
                                               {"ChallengeName", "PASSWORD_VERIFIER"},
                                               {"Session", challenge.body["Session"]},
                                               {"ChallengeResponses", responses}});
  };
  CallResult stale = answer();
  CHECK(stale.type() == "ResourceNotFoundException");
  CHECK(stale.message() == "Device does not exist.");
  responses["DEVICE_KEY"] = nullptr;  // what amazon-cognito-identity-js sends on its retry
  CallResult retried = answer();
  REQUIRE(retried.ok());
  CHECK(retried.body["AuthenticationResult"].contains("NewDeviceMetadata"));
}

TEST_CASE("devices: opt-in pools remember a device only when asked; listings and attributes") {
  DevicePool s(true);
  const json device = s.NewConfirmedDevice();
  const std::string key = device["DeviceKey"];
  CHECK(device["UserConfirmationNecessary"] == true);
  const std::string token = device["AuthenticationResult"]["AccessToken"];
  CHECK(s.f.Ok("ListDevices", {{"AccessToken", token}})["Devices"].empty());
  CHECK(s.f.Call("GetDevice", {{"AccessToken", token}, {"DeviceKey", key}}).type() == "ResourceNotFoundException");
  json admin = s.f.Ok("AdminGetDevice", {{"UserPoolId", s.pool}, {"Username", "dora"}, {"DeviceKey", key}})["Device"];
  json attrs = json::object();
  for (const auto& a : admin["DeviceAttributes"]) attrs[a["Name"].get<std::string>()] = a["Value"];
  CHECK(attrs["device_status"] == "valid");
  CHECK(attrs["device_name"] == "test phone");
  CHECK(attrs["dev:device_remembered_status"] == "not_remembered");
  CHECK(attrs["dev:device_owner"] == "dora." + s.pool);
  CHECK(attrs["dev:device_arn"] == "arn:aws:cognito-idp:us-east-1:000000000000:owner/dora." + s.pool + "/device/" + key);
  CHECK(attrs["dev:device_sdk"] == "aws-sdk");

  s.f.Ok("UpdateDeviceStatus", {{"AccessToken", token}, {"DeviceKey", key}, {"DeviceRememberedStatus", "remembered"}});
  json listed = s.f.Ok("ListDevices", {{"AccessToken", token}});
  REQUIRE(listed["Devices"].size() == 1);
  CHECK(listed["Devices"][0]["DeviceKey"] == key);
  CHECK(s.f.Ok("GetDevice", {{"AccessToken", token}, {"DeviceKey", key}})["Device"]["DeviceKey"] == key);

  // A second device, and pages of one.
  s.NewConfirmedDevice();
  json page = s.f.Ok("AdminListDevices", {{"UserPoolId", s.pool}, {"Username", "dora"}, {"Limit", 1}});
  REQUIRE(page["Devices"].size() == 1);
  REQUIRE(page.contains("PaginationToken"));
  json next = s.f.Ok("AdminListDevices", {{"UserPoolId", s.pool},
                                          {"Username", "dora"},
                                          {"Limit", 1},
                                          {"PaginationToken", page["PaginationToken"]}});
  REQUIRE(next["Devices"].size() == 1);
  CHECK(next["Devices"][0]["DeviceKey"] != page["Devices"][0]["DeviceKey"]);
  CHECK_FALSE(next.contains("PaginationToken"));

  CallResult twice = s.f.Call("ConfirmDevice", {{"AccessToken", token},
                                                {"DeviceKey", key},
                                                {"DeviceSecretVerifierConfig",
                                                 DeviceVerifierConfig("g", key, "p", s.random.Bytes(16))}});
  CHECK(twice.type() == "DeviceKeyExistsException");
}

TEST_CASE("devices: a deleted user's devices go with it") {
  DevicePool s;
  const json device = s.NewConfirmedDevice();
  s.f.Ok("AdminDeleteUser", {{"UserPoolId", s.pool}, {"Username", "dora"}});
  s.f.CreateConfirmedUser(s.pool, "dora", kPassword);
  CHECK(s.f.Call("AdminGetDevice", {{"UserPoolId", s.pool}, {"Username", "dora"}, {"DeviceKey", device["DeviceKey"]}})
            .type() == "ResourceNotFoundException");
}

}  // namespace
}  // namespace cogemu::testing
