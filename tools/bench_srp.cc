// SRP sign-ins against a running emulator, for scripts/bench: sequential latency, then throughput
// with several sign-ins in flight.
//   bench_srp URL MODE [SECONDS] [IN_FLIGHT]
// MODE: srp     USER_SRP_AUTH: InitiateAuth + PASSWORD_VERIFIER (2 round trips)
//       totp    the same plus a SOFTWARE_TOKEN_MFA answer (3 round trips)
//       device  the same plus DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER of a remembered device
//               (4 round trips)
// Prints one JSON object: {mode, sequential: {n, median_ms, p99_ms}, load: {seconds, in_flight,
// signins, per_s}}; exits 1 on the first refused request.
//
// The emulator does its whole work for every sign-in (g^b, (A·v^u)^b, two RS256 signatures), but
// this client must not compete with it for the same cores: the bench users' verifiers are v = 1
// (x = 0: a fixture document imports them; ConfirmDevice takes the device's) and the client's
// a = 1 (A = g = 2), so its own S = (B − k·v)^(a + u·x) = B − k is one subtraction.
#include <httplib.h>
#include <openssl/bn.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "emulator/crypto/hash.h"
#include "emulator/crypto/srp.h"
#include "emulator/crypto/totp.h"

namespace {

using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace srp = cogemu::crypto::srp;

constexpr char kKHex[] = "538282c4354742d7cbbde2359fcf67f9f5b3a6b08791e5011b43b8a5b66d9ee6";

std::string Base;  // host:port

// S = (B − k) mod N, the shared secret with v = 1 and a = 1.
std::string TrivialS(const std::string& B) {
  BIGNUM* n = nullptr;
  BIGNUM* k = nullptr;
  BN_hex2bn(&n, srp::kPrimeHex);
  BN_hex2bn(&k, kKHex);
  BIGNUM* b = BN_bin2bn(reinterpret_cast<const unsigned char*>(B.data()), static_cast<int>(B.size()), nullptr);
  BIGNUM* s = BN_new();
  BN_CTX* ctx = BN_CTX_new();
  BN_mod_sub(s, b, k, n, ctx);
  std::string out(static_cast<size_t>(BN_num_bytes(s)), '\0');
  BN_bn2bin(s, reinterpret_cast<unsigned char*>(out.data()));
  BN_CTX_free(ctx);
  BN_free(s);
  BN_free(b);
  BN_free(k);
  BN_free(n);
  return out;
}

std::string Timestamp(int64_t epoch) { return srp::FormatTimestamp(epoch); }

// ChallengeResponses proof members for a PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER challenge.
json Proof(const json& params, const std::string& pool_name, const std::string& user_id, int64_t now) {
  const std::string B = *srp::FromHex(params["SRP_B"].get<std::string>());
  const std::string A = std::string(1, '\x02');
  const std::string u = cogemu::crypto::Sha256(srp::Pad(A) + srp::Pad(B));
  const std::string S = TrivialS(B);
  std::string key = cogemu::crypto::HmacSha256(
      cogemu::crypto::HmacSha256(srp::Pad(u), srp::Pad(S)), std::string("Caldera Derived Key\x01"));
  key.resize(16);
  const std::string ts = Timestamp(now);
  const std::string block = *cogemu::crypto::Base64Decode(params["SECRET_BLOCK"].get<std::string>());
  return {{"TIMESTAMP", ts},
          {"PASSWORD_CLAIM_SECRET_BLOCK", params["SECRET_BLOCK"]},
          {"PASSWORD_CLAIM_SIGNATURE", cogemu::crypto::Base64Encode(srp::Signature(key, pool_name, user_id, block, ts))}};
}

class Api {
 public:
  Api() : client_(Base) {
    client_.set_keep_alive(true);
    client_.set_tcp_nodelay(true);  // else Nagle and delayed ACKs stall every request ~40 ms
  }
  json Call(const std::string& op, const json& body) {
    httplib::Headers headers = {
        {"X-Amz-Target", "AWSCognitoIdentityProviderService." + op},
        {"Authorization",
         "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=host, "
         "Signature=" + std::string(64, '0')}};
    const std::string text = body.dump();
    auto r = client_.Post("/", headers, text, "application/x-amz-json-1.1");
    if (!r) r = client_.Post("/", headers, text, "application/x-amz-json-1.1");  // a closed keep-alive connection
    if (!r || r->status != 200) {
      throw std::runtime_error(op + ": " + (r ? std::to_string(r->status) + " " + r->body : "no answer"));
    }
    return json::parse(r->body);
  }
  json Control(const std::string& method, const std::string& path, const json& body = json::object()) {
    auto send = [&] { return method == "GET" ? client_.Get(path) : client_.Post(path, body.dump(), "application/json"); };
    auto r = send();
    if (!r) r = send();  // a closed keep-alive connection
    if (!r || r->status != 200) throw std::runtime_error(path + ": " + (r ? r->body : "no answer"));
    return json::parse(r->body);
  }

 private:
  httplib::Client client_;
};

struct World {
  std::string mode;
  std::string pool_id;
  std::string pool_name;
  std::string client_id;
  std::string device_key;
  std::string group_key;
  std::vector<std::string> users;
  std::vector<std::string> secrets;  // totp
  std::atomic<int64_t> now{0};       // the emulator clock (totp: frozen and moved by us)
};
World world;

int64_t EmulatorNow() {
  if (world.mode == "totp") return world.now.load();
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json SignIn(Api& api, const std::string& user, const std::string& code) {
  json init = api.Call("InitiateAuth", {{"ClientId", world.client_id},
                                        {"AuthFlow", "USER_SRP_AUTH"},
                                        {"AuthParameters", {{"USERNAME", user}, {"SRP_A", "2"}}}});
  const json& p = init["ChallengeParameters"];
  const std::string id = p["USER_ID_FOR_SRP"];
  json responses = Proof(p, world.pool_name, id, EmulatorNow());
  responses["USERNAME"] = id;
  if (!world.device_key.empty()) responses["DEVICE_KEY"] = world.device_key;
  json r = api.Call("RespondToAuthChallenge", {{"ClientId", world.client_id},
                                               {"ChallengeName", "PASSWORD_VERIFIER"},
                                               {"Session", init["Session"]},
                                               {"ChallengeResponses", responses}});
  if (r.value("ChallengeName", "") == "SOFTWARE_TOKEN_MFA") {
    r = api.Call("RespondToAuthChallenge", {{"ClientId", world.client_id},
                                            {"ChallengeName", "SOFTWARE_TOKEN_MFA"},
                                            {"Session", r["Session"]},
                                            {"ChallengeResponses", {{"USERNAME", user}, {"SOFTWARE_TOKEN_MFA_CODE", code}}}});
  }
  if (r.value("ChallengeName", "") == "DEVICE_SRP_AUTH") {
    json v = api.Call("RespondToAuthChallenge",
                      {{"ClientId", world.client_id},
                       {"ChallengeName", "DEVICE_SRP_AUTH"},
                       {"Session", r["Session"]},
                       {"ChallengeResponses", {{"USERNAME", user}, {"DEVICE_KEY", world.device_key}, {"SRP_A", "2"}}}});
    json proof = Proof(v["ChallengeParameters"], world.group_key, world.device_key, EmulatorNow());
    proof["USERNAME"] = user;
    proof["DEVICE_KEY"] = world.device_key;
    r = api.Call("RespondToAuthChallenge", {{"ClientId", world.client_id},
                                            {"ChallengeName", "DEVICE_PASSWORD_VERIFIER"},
                                            {"Session", v["Session"]},
                                            {"ChallengeResponses", proof}});
  }
  if (!r.contains("AuthenticationResult")) throw std::runtime_error("sign-in ended with " + r.dump().substr(0, 300));
  return r["AuthenticationResult"];
}

// totp: (user, code) pairs; each user is used for the steps s−1, s, s+1 in that order (a code is
// good once), then the clock moves on three steps while nothing is in flight.
std::mutex queue_mu;
std::deque<std::pair<size_t, std::string>> work;
int in_flight = 0;
std::condition_variable drained;

void Refill(Api& api) {
  world.now = api.Control("POST", "/_emulator/clock", {{"advance", 90}})["now"].get<int64_t>();
  const int64_t step = cogemu::crypto::TotpStep(world.now.load());
  for (int64_t delta : {-1, 0, 1}) {
    for (size_t i = 0; i < world.users.size(); ++i) {
      work.emplace_back(i, cogemu::crypto::Hotp(*cogemu::crypto::Base32Decode(world.secrets[i]), step + delta));
    }
  }
}

void One(Api& api) {
  size_t user = 0;
  std::string code;
  if (world.mode == "totp") {
    std::unique_lock lock(queue_mu);
    while (work.empty()) {
      drained.wait(lock, [] { return in_flight == 0 || !work.empty(); });
      if (work.empty()) Refill(api);
    }
    std::tie(user, code) = work.front();
    work.pop_front();
    ++in_flight;
  }
  try {
    SignIn(api, world.users[user], code);
  } catch (...) {
    if (world.mode == "totp") {
      std::lock_guard lock(queue_mu);
      --in_flight;
    }
    throw;
  }
  if (world.mode == "totp") {
    std::lock_guard lock(queue_mu);
    --in_flight;
    drained.notify_all();
  }
}

void Setup(Api& api) {
  const size_t users = world.mode == "totp" ? 256 : 1;
  const json hash = {{"algorithm", "PBKDF2-HMAC-SHA256"},
                     {"iterations", 1},
                     {"salt", cogemu::crypto::Base64Encode(std::string(16, 'S'))},
                     {"hash", cogemu::crypto::Base64Encode(std::string(32, 'H'))},
                     {"srp", {{"salt", "01"}, {"verifier", "1"}}}};
  json pool = {{"PoolName", "bench-" + world.mode},
               {"Clients", {{{"ClientName", "bench"}, {"ExplicitAuthFlows", {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}}}}},
               {"Users", json::array()}};
  for (size_t i = 0; i < users; ++i) {
    world.users.push_back(std::string("u").append(std::to_string(i)));
    pool["Users"].push_back({{"Username", world.users.back()}, {"PasswordHash", hash}});
  }
  if (world.mode == "totp") {
    pool["MfaConfiguration"] = "OPTIONAL";
    pool["SoftwareTokenMfaConfiguration"] = {{"Enabled", true}};
  }
  if (world.mode == "device") {
    pool["DeviceConfiguration"] = {{"ChallengeRequiredOnNewDevice", true}, {"DeviceOnlyRememberedOnUserPrompt", false}};
  }
  const json created = api.Control("POST", "/_emulator/fixtures", {{"UserPools", {pool}}})["created"]["UserPools"][0];
  world.pool_id = created["Id"];
  world.pool_name = world.pool_id.substr(world.pool_id.find('_') + 1);
  world.client_id = created["Clients"][0]["ClientId"];
  if (world.mode == "device") {
    const json first = SignIn(api, "u0", "");
    const std::string one = cogemu::crypto::Base64Encode(std::string(1, '\x01'));
    api.Call("ConfirmDevice", {{"AccessToken", first["AccessToken"]},
                               {"DeviceKey", first["NewDeviceMetadata"]["DeviceKey"]},
                               {"DeviceName", "bench"},
                               {"DeviceSecretVerifierConfig", {{"PasswordVerifier", one}, {"Salt", one}}}});
    world.device_key = first["NewDeviceMetadata"]["DeviceKey"];
    world.group_key = first["NewDeviceMetadata"]["DeviceGroupKey"];
  }
  if (world.mode == "totp") {
    world.now = api.Control("POST", "/_emulator/clock", {{"freeze", true}})["now"].get<int64_t>();
    for (const std::string& user : world.users) {
      const json tokens = SignIn(api, user, "");
      const std::string secret = api.Call("AssociateSoftwareToken", {{"AccessToken", tokens["AccessToken"]}})["SecretCode"];
      api.Call("VerifySoftwareToken",
               {{"AccessToken", tokens["AccessToken"]},
                {"UserCode", cogemu::crypto::Hotp(*cogemu::crypto::Base32Decode(secret),
                                                  cogemu::crypto::TotpStep(world.now.load()))}});
      api.Call("AdminSetUserMFAPreference", {{"UserPoolId", world.pool_id},
                                             {"Username", user},
                                             {"SoftwareTokenMfaSettings", {{"Enabled", true}, {"PreferredMfa", true}}}});
      world.secrets.push_back(secret);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench_srp URL srp|totp|device [SECONDS] [IN_FLIGHT]\n");
    return 2;
  }
  std::string url = argv[1];
  if (url.rfind("http://", 0) == 0) url = url.substr(7);
  while (!url.empty() && url.back() == '/') url.pop_back();
  Base = url;
  world.mode = argv[2];
  const double seconds = argc > 3 ? std::atof(argv[3]) : 5.0;
  const int in_flight = argc > 4 ? std::atoi(argv[4]) : 16;
  try {
    Api api;
    Setup(api);
    for (int i = 0; i < 5; ++i) One(api);  // warms the pool's signing keys and caches
    // The new pool set the emulator's RSA key reservoir refilling in the background (~0.2 s of
    // CPU a key): let it finish, or it competes with what is measured.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    std::vector<double> latencies;
    for (int i = 0; i < 60; ++i) {
      const auto start = Clock::now();
      One(api);
      latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    std::sort(latencies.begin(), latencies.end());
    std::atomic<long> done{0};  // NOLINT(runtime/int)
    std::atomic<bool> failed{false};
    // Every thread connects before the clock starts: a connection that waits for the listen
    // queue must not hold a TOTP code while the others overtake it (codes are good once, in order).
    std::atomic<int> connected{0};
    Clock::time_point start;
    Clock::time_point deadline;
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < in_flight; ++t) {
      threads.emplace_back([&] {
        try {
          Api mine;
          mine.Control("GET", "/_emulator/health");
          ++connected;
          while (!go) std::this_thread::yield();
          while (Clock::now() < deadline && !failed) {
            One(mine);
            ++done;
          }
        } catch (const std::exception& e) {
          if (!failed.exchange(true)) std::fprintf(stderr, "bench_srp: %s\n", e.what());
        }
      });
    }
    while (connected < in_flight && !failed) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    start = Clock::now();
    deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    go = true;
    for (auto& t : threads) t.join();
    if (failed) return 1;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf(
        "{\"mode\": \"%s\", \"sequential\": {\"n\": %zu, \"median_ms\": %.3f, \"p99_ms\": %.3f}, "
        "\"load\": {\"seconds\": %.2f, \"in_flight\": %d, \"signins\": %ld, \"per_s\": %.1f}}\n",
        world.mode.c_str(), latencies.size(), latencies[latencies.size() / 2],
        latencies[latencies.size() * 99 / 100], elapsed, in_flight, done.load(), done.load() / elapsed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_srp: %s\n", e.what());
    return 1;
  }
  return 0;
}
