// What a handler gets: the request's one store transaction, the injected clock and random
// source, the configuration, and facts about the call. Handlers never see HTTP.
#pragma once

#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "emulator/api/error.h"
#include "emulator/clock.h"
#include "emulator/config.h"
#include "emulator/random.h"
#include "emulator/store/store.h"

namespace cogemu::idp {
class SigningKeys;
}

namespace cogemu::api {
class FaultInjector;
class RequestHistory;

// Long-lived services shared by all requests (thread-safe), owned by main().
struct Services {
  idp::SigningKeys* signing_keys = nullptr;  // per-pool RSA key pairs
  FaultInjector* faults = nullptr;            // injected errors and delays (may be null)
  RequestHistory* history = nullptr;          // recent calls (may be null)
};

struct RequestInfo {
  std::string request_id;
  std::string service;     // "cognito-idp" | "cognito-identity"
  std::string operation;   // "CreateUserPool"
  std::string region;      // SigV4 credential scope, else Config::region
  std::string access_key;  // SigV4 access key id; empty when unsigned
  std::string source_ip;   // the caller's address, when the transport knows it
};

struct Context {
  store::Txn& txn;
  const Clock& clock;
  Random& random;
  const Config& config;
  const RequestInfo& request;
  Services& services;
  // Set by a handler that must keep what it wrote even though it then throws an ApiError
  // (failed sign-in counters, code attempts): the dispatcher commits before answering.
  bool commit_on_error = false;
  // True while a fixture document is applied: handlers then honour the fixture-only members
  // that fix generated values (CreateUserPool "Id", CreateUserPoolClient "ClientId" and
  // "ClientSecret"); over the wire these members are ignored, as AWS ignores unknown members.
  bool fixture = false;
  // A handler may answer with ready-made JSON text instead of a value (hot read paths that keep
  // their answer pre-serialised); the dispatcher then sends it as the body.
  std::optional<std::string> raw_output;

  // Work to do after the transaction commits, outside the store's write lock (signing tokens:
  // RSA is the expensive part of a sign-in, and it needs no store). Returns a placeholder string
  // to put in the output; the dispatcher replaces it with what `make` returns.
  std::string Defer(std::function<std::string()> make) {
    deferred.push_back(std::move(make));
    return std::string(kDeferredPrefix) + std::to_string(deferred.size() - 1);
  }
  static constexpr std::string_view kDeferredPrefix = "\x01cogemu-deferred:";
  std::vector<std::function<std::string()>> deferred;

  // Slow, pure work (password hashing, SRP's modular exponentiations): `compute` must depend on
  // nothing but what `inputs` name, and `kind` tells computations apart. Within a write request
  // run by the dispatcher, the first call throws SlowWorkNeeded: the dispatcher abandons the
  // transaction, runs `compute` on the request's own thread (outside the store's write lock, so
  // both cores work), and runs the handler again with the same random draws, where the call now
  // returns the result. `compute` outlives the call: it must own what it uses (capture by value).
  // Side effects outside the store (log lines) belong in AfterCommit, so a re-run does not
  // repeat them. Elsewhere (read requests, fixtures, the control API) it computes in place.
  std::string Slow(std::string_view kind, std::initializer_list<std::string_view> inputs,
                   const std::function<std::string()>& compute);
  // Set by the dispatcher: results of earlier attempts by key, and whether a missing one throws.
  std::unordered_map<std::string, std::string>* slow_results = nullptr;
  bool defer_slow = false;

  // Work that must happen once, after the request's writes are committed (log lines about what
  // was "sent"). Without a dispatcher behind the context it runs at once.
  void AfterCommit(std::function<void()> work) {
    if (after_commit) {
      after_commit->push_back(std::move(work));
    } else {
      work();
    }
  }
  std::vector<std::function<void()>>* after_commit = nullptr;

  // Throws `error` after asking the dispatcher to commit this request's writes.
  [[noreturn]] void CommitAndThrow(const ApiError& error) {
    commit_on_error = true;
    throw error;
  }

  const std::string& region() const { return request.region; }
  const std::string& account_id() const { return config.account_id; }
  // AWS timestamps: epoch seconds with a millisecond fraction.
  double now() const { return clock.NowEpoch(); }
};

// Thrown by Context::Slow to have the dispatcher run `compute` outside the write transaction.
struct SlowWorkNeeded {
  std::string key;
  std::function<std::string()> compute;
};

}  // namespace cogemu::api
