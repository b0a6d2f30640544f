#include "emulator/control/control.h"

#include <cmath>
#include <ctime>

#include "emulator/api/faults.h"
#include "emulator/api/history.h"
#include "emulator/fixtures/fixtures.h"
#include "emulator/identity/logins.h"
#include "emulator/identity/openid.h"
#include "emulator/crypto/rsa.h"
#include "emulator/idp/outbox.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/signing_keys.h"
#include "emulator/idp/tokens.h"

namespace cogemu::control {
namespace {

using json = nlohmann::json;

Reply Bad(std::string message) { return Reply{400, json{{"error", std::move(message)}}}; }

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<int64_t> ParseIso8601(std::string_view s) {
  int year, month, day, hour = 0, minute = 0, second = 0;
  if (!Digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, month) ||
      s[7] != '-' || !Digits(s, 8, 2, day)) {
    return std::nullopt;
  }
  size_t pos = 10;
  int64_t millis = 0;
  int64_t offset_s = 0;
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    if (!Digits(s, pos + 1, 2, hour) || s.size() < pos + 9 || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, minute) || s[pos + 6] != ':' || !Digits(s, pos + 7, 2, second)) {
      return std::nullopt;
    }
    pos += 9;
    if (pos < s.size() && s[pos] == '.') {
      ++pos;
      int64_t scale = 100;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        millis += (s[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
    }
    if (pos < s.size()) {
      if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
      } else if (s[pos] == '+' || s[pos] == '-') {
        int oh, om;
        if (!Digits(s, pos + 1, 2, oh) || s.size() < pos + 6 || s[pos + 3] != ':' ||
            !Digits(s, pos + 4, 2, om)) {
          return std::nullopt;
        }
        offset_s = (s[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
        pos += 6;
      }
    }
    if (pos != s.size()) return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const int64_t epoch = static_cast<int64_t>(timegm(&tm)) - offset_s;
  return epoch * 1000 + millis;
}

Reply ControlApi::Health() const {
  return Reply{200, json{{"status", "ok"}, {"version", COGEMU_VERSION}}};
}

Reply ControlApi::GetClock() const {
  return Reply{200, json{{"now", clock_.NowEpoch()}, {"frozen", clock_.frozen()}}};
}

Reply ControlApi::PostClock(std::string_view body) {
  json in = json::parse(body.begin(), body.end(), nullptr, false);
  if (!in.is_object()) return Bad("body must be a JSON object");
  if (!in.contains("set") && !in.contains("advance") && !in.contains("freeze")) {
    return Bad("expected one of \"set\", \"advance\", \"freeze\"");
  }
  // Validate everything before changing anything.
  std::optional<int64_t> set_ms, advance_ms;
  std::optional<bool> freeze;
  if (in.contains("set")) {
    const json& v = in["set"];
    if (v.is_number()) {
      const double s = v.get<double>();
      if (!std::isfinite(s) || s < 0 || s > 253402300799.0) return Bad("\"set\" is out of range");
      set_ms = static_cast<int64_t>(std::llround(s * 1000.0));
    } else if (v.is_string()) {
      set_ms = ParseIso8601(v.get<std::string>());
      if (!set_ms) return Bad("\"set\" must be epoch seconds or an ISO-8601 date-time");
    } else {
      return Bad("\"set\" must be epoch seconds or an ISO-8601 date-time");
    }
  }
  if (in.contains("advance")) {
    const json& v = in["advance"];
    if (!v.is_number() || !std::isfinite(v.get<double>()) || std::fabs(v.get<double>()) > 1e11) {
      return Bad("\"advance\" must be a number of seconds");
    }
    advance_ms = static_cast<int64_t>(std::llround(v.get<double>() * 1000.0));
  }
  if (in.contains("freeze")) {
    if (!in["freeze"].is_boolean()) return Bad("\"freeze\" must be true or false");
    freeze = in["freeze"].get<bool>();
  }
  if (set_ms) clock_.Set(*set_ms);
  if (advance_ms) clock_.Advance(*advance_ms);
  if (freeze) clock_.Freeze(*freeze);
  return GetClock();
}

Reply ControlApi::Reset(bool to_fixtures) {
  std::shared_ptr<const store::Env::Snapshot> startup;
  {
    std::lock_guard lock(snapshots_mu_);
    startup = startup_;
  }
  if (to_fixtures && startup) {
    env_.Restore(*startup);
  } else {
    env_.Clear();
  }
  if (services_.faults) services_.faults->Clear();
  if (services_.history) services_.history->Clear();
  return Reply{200, json{{"status", "reset"}, {"fixtures", to_fixtures && startup != nullptr}}};
}

void ControlApi::SetStartupSnapshot(std::shared_ptr<const store::Env::Snapshot> snapshot) {
  std::lock_guard lock(snapshots_mu_);
  startup_ = std::move(snapshot);
}

namespace {

bool ValidSnapshotName(const std::string& name) {
  return !name.empty() && name.size() <= 128 &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
             std::string::npos;
}

}  // namespace

Reply ControlApi::SaveSnapshot(const std::string& name) {
  if (!ValidSnapshotName(name)) return Bad("snapshot names are 1-128 characters of [A-Za-z0-9._-]");
  auto snap = env_.TakeSnapshot();
  const size_t entries = snap->entries();
  std::lock_guard lock(snapshots_mu_);
  snapshots_[name] = std::move(snap);
  return Reply{200, json{{"name", name}, {"entries", entries}}};
}

Reply ControlApi::RestoreSnapshot(const std::string& name) {
  std::shared_ptr<const store::Env::Snapshot> snap;
  {
    std::lock_guard lock(snapshots_mu_);
    auto it = snapshots_.find(name);
    if (it == snapshots_.end()) return Reply{404, json{{"error", "no snapshot named " + name}}};
    snap = it->second;
  }
  env_.Restore(*snap);
  return Reply{200, json{{"name", name}, {"restored", true}}};
}

Reply ControlApi::DeleteSnapshot(const std::string& name) {
  std::lock_guard lock(snapshots_mu_);
  if (snapshots_.erase(name) == 0) return Reply{404, json{{"error", "no snapshot named " + name}}};
  return Reply{200, json{{"name", name}, {"deleted", true}}};
}

Reply ControlApi::ListSnapshots() const {
  std::lock_guard lock(snapshots_mu_);
  json names = json::array();
  for (const auto& [name, snap] : snapshots_) names.push_back({{"name", name}, {"entries", snap->entries()}});
  return Reply{200, json{{"snapshots", names}}};
}

Reply ControlApi::AddFault(std::string_view body) {
  if (!services_.faults) return Bad("fault injection is off");
  json spec = json::parse(body.begin(), body.end(), nullptr, false);
  try {
    return Reply{200, services_.faults->Add(spec)};
  } catch (const std::invalid_argument& e) {
    return Bad(e.what());
  }
}

Reply ControlApi::ListFaults() const {
  if (!services_.faults) return Reply{200, json{{"faults", json::array()}}};
  return Reply{200, services_.faults->List()};
}

Reply ControlApi::RemoveFault(const std::string& id) {
  if (!services_.faults || !services_.faults->Remove(id)) return Reply{404, json{{"error", "no fault " + id}}};
  return Reply{200, json{{"id", id}, {"deleted", true}}};
}

Reply ControlApi::ClearFaults() {
  return Reply{200, json{{"deleted", services_.faults ? services_.faults->Clear() : 0}}};
}

Reply ControlApi::Requests(const std::string& operation, const std::string& limit) const {
  size_t n = 100;
  if (!limit.empty()) {
    try {
      n = std::stoul(limit);
    } catch (...) {
      return Bad("limit must be a number");
    }
  }
  if (!services_.history) return Reply{200, json{{"requests", json::array()}}};
  return Reply{200, services_.history->List(operation, n)};
}

Reply ControlApi::ApplyFixtures(std::string_view body) {
  json doc = json::parse(body.begin(), body.end(), nullptr, false);
  if (!doc.is_object()) return Bad("a fixture document is a JSON object");
  api::RequestInfo info{"fixtures", "", "", config_.region, ""};
  store::Txn txn(env_, store::Txn::Mode::kWrite);
  api::Context ctx{txn, clock_, random_, config_, info, services_};
  try {
    json created = fixtures::Apply(ctx, doc);
    txn.Commit();
    return Reply{200, json{{"created", created}}};
  } catch (const ApiError& e) {
    return Reply{400, json{{"error", e.message()}, {"type", e.code()}}};
  }
}

Reply ControlApi::Export() {
  api::RequestInfo info{"export", "", "", config_.region, ""};
  store::Txn txn(env_, store::Txn::Mode::kRead);
  api::Context ctx{txn, clock_, random_, config_, info, services_};
  return Reply{200, fixtures::Export(ctx)};
}

Reply ControlApi::Messages(const std::string& pool_id, const std::string& username) const {
  store::Txn txn(env_, store::Txn::Mode::kRead);
  return Reply{200, json{{"messages", idp::ListMessages(txn, pool_id, username)}}};
}

Reply ControlApi::ClearMessages() {
  store::Txn txn(env_, store::Txn::Mode::kWrite);
  const size_t n = idp::ClearMessages(txn);
  txn.Commit();
  return Reply{200, json{{"deleted", n}}};
}

bool ControlApi::PoolExists(const std::string& pool_id) const {
  store::Txn txn(env_, store::Txn::Mode::kRead);
  return idp::FindPool(txn, pool_id) != nullptr;
}

Reply ControlApi::Jwks(const std::string& pool_id) {
  {
    store::Txn txn(env_, store::Txn::Mode::kRead);
    if (!idp::FindPool(txn, pool_id)) {
      return Reply{404, json{{"message", "User pool " + pool_id + " does not exist."}}};
    }
    if (auto keys = services_.signing_keys->Find(txn, pool_id)) return Reply{200, idp::Jwks(*keys)};
  }
  // First look at this pool's keys: create them (the pool may have gone meanwhile).
  store::Txn txn(env_, store::Txn::Mode::kWrite);
  if (!idp::FindPool(txn, pool_id)) {
    return Reply{404, json{{"message", "User pool " + pool_id + " does not exist."}}};
  }
  idp::PoolKeyPair keys = services_.signing_keys->Ensure(txn, pool_id);
  txn.Commit();
  return Reply{200, idp::Jwks(keys)};
}

Reply ControlApi::OpenIdConfiguration(const std::string& pool_id) const {
  if (!PoolExists(pool_id)) return Reply{404, json{{"message", "User pool " + pool_id + " does not exist."}}};
  return Reply{200, idp::OpenIdConfiguration(config_, pool_id)};
}

Reply ControlApi::IdentityJwks() {
  {
    store::Txn txn(env_, store::Txn::Mode::kRead);
    if (auto keys = services_.signing_keys->Find(txn, identity::kIdentityKeyName)) {
      return Reply{200, identity::IdentityJwks(*keys->id)};
    }
  }
  store::Txn txn(env_, store::Txn::Mode::kWrite);
  api::RequestInfo info{"jwks", "", "", config_.region, ""};
  api::Context ctx{txn, clock_, random_, config_, info, services_};
  auto key = identity::EnsureIdentityKey(ctx);
  txn.Commit();
  return Reply{200, identity::IdentityJwks(*key)};
}

Reply ControlApi::IdentityCredentials(const std::string& identity_id, const std::string& access_key_id) const {
  store::Txn txn(env_, store::Txn::Mode::kRead);
  json out = json::array();
  const std::string prefix = identity_id.empty() ? std::string() : store::keys::Prefix({identity_id});
  txn.Scan(store::Table::kIssuedCredentials, prefix, std::nullopt, [&](std::string_view, std::string_view value) {
    json record = json::from_msgpack(value);
    if (access_key_id.empty() || record.value("AccessKeyId", "") == access_key_id) out.push_back(std::move(record));
    return true;
  });
  return Reply{200, json{{"credentials", out}}};
}

Reply ControlApi::RegisterIdentityProvider(std::string_view body) {
  json in = json::parse(body.begin(), body.end(), nullptr, false);
  if (!in.is_object() || !in.contains("issuer") || !in["issuer"].is_string() ||
      in["issuer"].get<std::string>().empty()) {
    return Bad("expected {\"issuer\": \"https://...\", \"jwks\": {\"keys\": [...]}}");
  }
  if (!in.contains("jwks") || !in["jwks"].is_object() || !in["jwks"].contains("keys") ||
      !in["jwks"]["keys"].is_array() || in["jwks"]["keys"].empty()) {
    return Bad("\"jwks\" must be a JWK set with at least one key");
  }
  for (const auto& key : in["jwks"]["keys"]) {
    if (!key.is_object() || key.value("kty", "") != "RSA" || !key.contains("n") || !key.contains("e")) {
      return Bad("only RSA keys (kty RSA, n, e) are supported");
    }
  }
  store::Txn txn(env_, store::Txn::Mode::kWrite);
  identity::RegisterProviderJwks(txn, in["issuer"].get<std::string>(), in["jwks"]);
  txn.Commit();
  return Reply{200, json{{"issuer", in["issuer"]}, {"keys", in["jwks"]["keys"].size()}}};
}

Reply ControlApi::ListIdentityProviders() const {
  store::Txn txn(env_, store::Txn::Mode::kRead);
  return Reply{200, json{{"providers", identity::ListProviderJwks(txn)}}};
}

}  // namespace cogemu::control
