// A store for fixture tests: like EmulatorFixture (temporary LMDB store, FakeClock, seeded Random,
// the real dispatcher), plus direct access to a Context so a test can call fixtures::Apply,
// ApplyOnce and Export on the same store the API calls see. Apply commits only when it returns,
// as the server does, so a failing document leaves nothing behind.
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "emulator/api/context.h"
#include "emulator/api/dispatch.h"
#include "emulator/clock.h"
#include "emulator/config.h"
#include "emulator/fixtures/fixtures.h"
#include "emulator/idp/signing_keys.h"
#include "emulator/log.h"
#include "emulator/random.h"
#include "emulator/store/store.h"
#include "tests/unit/support/emulator_fixture.h"

namespace cogemu::testing {

class FixtureStore {
 public:
  explicit FixtureStore(uint64_t seed = 1234) : random_(seed), keys_(seed) {
    log::SetLevel(log::Level::kWarn);
    std::string pattern = "/tmp/cogemu-fixtures-XXXXXX";
    REQUIRE(mkdtemp(pattern.data()));
    dir_ = pattern;
    env_ = std::make_unique<store::Env>(store::EnvOptions{dir_, false, size_t{256} << 20});
    services_.signing_keys = &keys_;
    dispatcher_ = std::make_unique<api::Dispatcher>(*env_, clock_, random_, config_, services_);
  }
  ~FixtureStore() {
    dispatcher_.reset();
    env_.reset();
    std::filesystem::remove_all(dir_);
  }
  FixtureStore(const FixtureStore&) = delete;
  FixtureStore& operator=(const FixtureStore&) = delete;

  // fixtures::Apply in one write transaction, committed only if it returns.
  json Apply(const json& doc) {
    return InWriteTxn([&](api::Context& ctx) { return fixtures::Apply(ctx, doc); });
  }
  json ApplyOnce(const json& doc) {
    return InWriteTxn([&](api::Context& ctx) { return fixtures::ApplyOnce(ctx, doc); });
  }
  json Export() {
    store::Txn txn(*env_, store::Txn::Mode::kRead);
    api::RequestInfo info{"test", "", "", config_.region, ""};
    api::Context ctx{txn, clock_, random_, config_, info, services_};
    return fixtures::Export(ctx);
  }
  // Apply that must fail: returns the ApiError (code, message).
  std::pair<std::string, std::string> ApplyError(const json& doc) {
    try {
      Apply(doc);
    } catch (const ApiError& e) {
      return {e.code(), e.message()};
    }
    FAIL("Apply succeeded: " << doc.dump());
    return {};
  }

  // API calls through the dispatcher, as EmulatorFixture makes them.
  CallResult Call(const std::string& op, const json& input) {
    const std::string target = "AWSCognitoIdentityProviderService." + op;
    const std::string body = input.dump();
    api::Outcome out = dispatcher_->Handle(
        api::Call{target, "application/x-amz-json-1.1",
                  "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/cognito-idp/aws4_request, "
                  "SignedHeaders=host, Signature=0",
                  body});
    return CallResult{out.response.status, json::parse(out.response.body)};
  }
  json Ok(const std::string& op, const json& input) {
    CallResult r = Call(op, input);
    INFO(op << " -> " << r.body.dump());
    REQUIRE(r.ok());
    return r.body;
  }
  CallResult PasswordAuth(const std::string& client_id, const std::string& username,
                          const std::string& password, json extra_params = json::object()) {
    extra_params["USERNAME"] = username;
    extra_params["PASSWORD"] = password;
    return Call(
        "InitiateAuth",
        {{"ClientId", client_id}, {"AuthFlow", "USER_PASSWORD_AUTH"}, {"AuthParameters", extra_params}});
  }

  FakeClock& clock() { return clock_; }
  Config& config() { return config_; }

 private:
  template <typename F>
  json InWriteTxn(F&& body) {
    store::Txn txn(*env_, store::Txn::Mode::kWrite);
    api::RequestInfo info{"test", "", "", config_.region, ""};
    api::Context ctx{txn, clock_, random_, config_, info, services_};
    json result = body(ctx);
    txn.Commit();
    return result;
  }

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
