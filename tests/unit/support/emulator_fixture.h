// An in-process emulator for tests: a temporary LMDB store, a FakeClock, a seeded Random and the
// real dispatcher, so a test drives the API exactly as the wire would (validation included)
// without HTTP.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "emulator/api/dispatch.h"
#include "emulator/clock.h"
#include "emulator/config.h"
#include "emulator/crypto/hash.h"
#include "emulator/crypto/jwt.h"
#include "emulator/idp/outbox.h"
#include "emulator/idp/signing_keys.h"
#include "emulator/log.h"
#include "emulator/random.h"
#include "emulator/store/store.h"

namespace cogemu::testing {

using json = nlohmann::json;

struct CallResult {
  int status;
  json body;
  bool ok() const { return status == 200; }
  std::string type() const { return body.value("__type", ""); }
  std::string message() const { return body.value("message", ""); }
};

class EmulatorFixture {
 public:
  // `durable`: a store that fsyncs, so writes go through the group-commit queue (as by default).
  explicit EmulatorFixture(uint64_t seed = 1234, bool durable = false) : random_(seed), keys_(seed) {
    log::SetLevel(log::Level::kWarn);
    std::string pattern = "/tmp/cogemu-fixture-XXXXXX";
    REQUIRE(mkdtemp(pattern.data()));
    dir_ = pattern;
    env_ = std::make_unique<store::Env>(store::EnvOptions{dir_, durable, size_t{256} << 20});
    services_.signing_keys = &keys_;
    dispatcher_ = std::make_unique<api::Dispatcher>(*env_, clock_, random_, config_, services_);
  }
  ~EmulatorFixture() {
    dispatcher_.reset();
    env_.reset();
    std::filesystem::remove_all(dir_);
  }

  CallResult Call(const std::string& op, const json& input, bool identity = false) {
    const std::string target =
        (identity ? "AWSCognitoIdentityService." : "AWSCognitoIdentityProviderService.") + op;
    const std::string body = input.dump();
    api::Outcome out = dispatcher_->Handle(api::Call{
        target, "application/x-amz-json-1.1",
        "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/cognito-idp/aws4_request, "
        "SignedHeaders=host, Signature=0",
        body});
    return CallResult{out.response.status, json::parse(out.response.body)};
  }

  // Calls and requires success.
  json Ok(const std::string& op, const json& input) {
    CallResult r = Call(op, input);
    INFO(op << " -> " << r.body.dump());
    REQUIRE(r.ok());
    return r.body;
  }

  std::string CreatePool(json extra = json::object()) {
    extra["PoolName"] = "pool";
    return Ok("CreateUserPool", extra)["UserPool"]["Id"];
  }
  json CreateClient(const std::string& pool, json extra = json::object()) {
    extra["UserPoolId"] = pool;
    extra["ClientName"] = "client";
    if (!extra.contains("ExplicitAuthFlows")) {
      extra["ExplicitAuthFlows"] = {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH",
                                    "ALLOW_REFRESH_TOKEN_AUTH"};
    }
    return Ok("CreateUserPoolClient", extra)["UserPoolClient"];
  }
  // A CONFIRMED user with a permanent password.
  void CreateConfirmedUser(const std::string& pool, const std::string& username, const std::string& password,
                           json attributes = json::array()) {
    Ok("AdminCreateUser", {{"UserPoolId", pool},
                           {"Username", username},
                           {"MessageAction", "SUPPRESS"},
                           {"UserAttributes", attributes}});
    Ok("AdminSetUserPassword",
       {{"UserPoolId", pool}, {"Username", username}, {"Password", password}, {"Permanent", true}});
  }
  CallResult PasswordAuth(const std::string& client_id, const std::string& username, const std::string& password,
                          json extra_params = json::object()) {
    extra_params["USERNAME"] = username;
    extra_params["PASSWORD"] = password;
    return Call("InitiateAuth",
                {{"ClientId", client_id}, {"AuthFlow", "USER_PASSWORD_AUTH"}, {"AuthParameters", extra_params}});
  }

  static json Claims(const std::string& jwt) {
    auto decoded = crypto::DecodeJwt(jwt);
    REQUIRE(decoded);
    return decoded->payload;
  }

  // The outbox's messages for a pool (and user), oldest first.
  json Messages(const std::string& pool, const std::string& username = "") {
    store::Txn txn(*env_, store::Txn::Mode::kRead);
    return idp::ListMessages(txn, pool, username);
  }

  FakeClock& clock() { return clock_; }
  store::Env& env() { return *env_; }
  Config& config() { return config_; }

 protected:
  // Runs `body(Context&)` in one transaction on the same store the API calls use; a write
  // transaction commits only if `body` returns.
  template <typename F>
  json InTxn(store::Txn::Mode mode, F&& body) {
    store::Txn txn(*env_, mode);
    api::RequestInfo info{"test", "", "", config_.region, ""};
    api::Context ctx{txn, clock_, random_, config_, info, services_};
    json result = body(ctx);
    txn.Commit();
    return result;
  }

 private:
  std::string dir_;
  FakeClock clock_{1767225600000};  // 2026-01-01T00:00:00Z
  SeededRandom random_;
  Config config_;
  idp::SigningKeys keys_;
  api::Services services_;
  std::unique_ptr<store::Env> env_;
  std::unique_ptr<api::Dispatcher> dispatcher_;
};

}  // namespace cogemu::testing
