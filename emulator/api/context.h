// What a handler gets: the request's one store transaction, the injected clock and random
// source, the configuration, and facts about the call. Handlers never see HTTP.
#pragma once

#include <string>

#include "emulator/clock.h"
#include "emulator/config.h"
#include "emulator/random.h"
#include "emulator/store/store.h"

namespace cogemu::api {

struct RequestInfo {
  std::string request_id;
  std::string service;     // "cognito-idp" | "cognito-identity"
  std::string operation;   // "CreateUserPool"
  std::string region;      // SigV4 credential scope, else Config::region
  std::string access_key;  // SigV4 access key id; empty when unsigned
};

struct Context {
  store::Txn& txn;
  const Clock& clock;
  Random& random;
  const Config& config;
  const RequestInfo& request;

  const std::string& region() const { return request.region; }
  const std::string& account_id() const { return config.account_id; }
  // AWS timestamps: epoch seconds with a millisecond fraction.
  double now() const { return clock.NowEpoch(); }
};

}  // namespace cogemu::api
