// The test-control API under /_emulator/ (plain JSON, never AWS-shaped): health, the clock and
// reset. Transport-free: the server maps routes to these calls.
#pragma once

#include <nlohmann/json.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/api/context.h"
#include "emulator/clock.h"
#include "emulator/config.h"
#include "emulator/store/store.h"

namespace cogemu::control {

struct Reply {
  int status = 200;
  nlohmann::json body;
};

// Parses "2026-01-02T03:04:05Z", "2026-01-02T03:04:05.250+02:00" or "2026-01-02" into epoch
// milliseconds; nullopt if it is not ISO-8601.
std::optional<int64_t> ParseIso8601(std::string_view text);

class ControlApi {
 public:
  ControlApi(ControllableClock& clock, store::Env& env, const Config& config, api::Services& services,
             Random& random)
      : clock_(clock), env_(env), config_(config), services_(services), random_(random) {}

  Reply Health() const;
  Reply GetClock() const;
  // {"set": <epoch seconds | ISO-8601>} | {"advance": <seconds>} | {"freeze": bool}; several
  // may be combined and apply in that order.
  Reply PostClock(std::string_view body);
  // Wipes all state (and faults and request history); with `to_fixtures`, returns to the state
  // right after the start-up fixtures were applied.
  Reply Reset(bool to_fixtures);
  void SetStartupSnapshot(std::shared_ptr<const store::Env::Snapshot> snapshot);

  // Named snapshots of the whole store, kept in memory.
  Reply SaveSnapshot(const std::string& name);
  Reply RestoreSnapshot(const std::string& name);
  Reply DeleteSnapshot(const std::string& name);
  Reply ListSnapshots() const;

  // Fault injection and request history.
  Reply AddFault(std::string_view body);
  Reply ListFaults() const;
  Reply RemoveFault(const std::string& id);
  Reply ClearFaults();
  Reply Requests(const std::string& operation, const std::string& limit) const;

  // Fixture documents: apply one (atomically), or export the state as one.
  Reply ApplyFixtures(std::string_view body);
  Reply Export();

  // The message outbox: {"messages":[...]} oldest first, optionally filtered; and clearing it.
  Reply Messages(const std::string& pool_id, const std::string& username) const;
  Reply ClearMessages();

  // Discovery documents served at /<poolId>/.well-known/{jwks.json,openid-configuration}.
  Reply Jwks(const std::string& pool_id);
  Reply OpenIdConfiguration(const std::string& pool_id) const;

  // Identity pools: the JWKS of the OpenID tokens they sign (GET /.well-known/jwks_uri); the
  // credentials GetCredentialsForIdentity issued ({"credentials":[{AccessKeyId, IdentityId,
  // IdentityPoolId, RoleArn, Expiration, ...}]}, in issue order per identity, optionally for one
  // identity or access key); and external providers' JWKS, so their tokens' signatures are
  // checked ({"issuer": "https://accounts.google.com", "jwks": {"keys": [...]}}).
  Reply IdentityJwks();
  Reply IdentityCredentials(const std::string& identity_id, const std::string& access_key_id) const;
  Reply RegisterIdentityProvider(std::string_view body);
  Reply ListIdentityProviders() const;

 private:
  bool PoolExists(const std::string& pool_id) const;

  ControllableClock& clock_;
  store::Env& env_;
  const Config& config_;
  api::Services& services_;
  Random& random_;
  mutable std::mutex snapshots_mu_;
  std::map<std::string, std::shared_ptr<const store::Env::Snapshot>> snapshots_;
  std::shared_ptr<const store::Env::Snapshot> startup_;
};

}  // namespace cogemu::control
