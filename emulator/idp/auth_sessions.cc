#include "emulator/idp/auth_sessions.h"

#include "emulator/api/error.h"
#include "emulator/crypto/hash.h"
#include "emulator/idp/pools.h"

namespace cogemu::idp {
namespace {

using store::Table;
namespace keys = store::keys;

constexpr size_t kSessionBytes = 64;
constexpr int kSweepPerOpen = 16;

std::string RecordKey(std::string_view session_bytes) { return keys::Tuple({crypto::Sha256(session_bytes)}); }

std::string ExpiryKey(int64_t expires, std::string_view hash) {
  return keys::Tuple({keys::U64(static_cast<uint64_t>(std::max<int64_t>(expires, 0))), hash});
}

// Deletes a few sessions that expired before `now` (oldest first).
void Sweep(api::Context& ctx, int64_t now) {
  std::vector<std::string> expired;
  ctx.txn.Scan(Table::kSessionExpiry, "", std::nullopt, [&](std::string_view key, std::string_view) {
    const std::vector<std::string> parts = keys::Split(key);
    if (parts.size() != 2 || static_cast<int64_t>(keys::ReadU64(parts[0])) >= now) return false;
    expired.emplace_back(key);
    return static_cast<int>(expired.size()) < kSweepPerOpen;
  });
  for (const std::string& key : expired) {
    const std::vector<std::string> parts = keys::Split(key);
    ctx.txn.Del(Table::kSessions, keys::Tuple({parts[1]}));
    ctx.txn.Del(Table::kSessionExpiry, key);
  }
}

json ToJson(const ChallengeSession& s) {
  return {{"Challenge", s.challenge}, {"PoolId", s.pool_id}, {"ClientId", s.client_id}, {"UserKey", s.user_key},
          {"Sub", s.sub},             {"PasswordStamp", s.password_stamp},
          {"Expires", s.expires},     {"State", s.state}};
}

ChallengeSession FromJson(const json& j) {
  ChallengeSession s;
  s.challenge = j.value("Challenge", "");
  s.pool_id = j.value("PoolId", "");
  s.client_id = j.value("ClientId", "");
  s.user_key = j.value("UserKey", "");
  s.sub = j.value("Sub", "");
  s.password_stamp = j.value("PasswordStamp", "");
  s.expires = j.value("Expires", int64_t{0});
  s.state = j.value("State", json::object());
  return s;
}

}  // namespace

std::string PasswordStamp(const json& user_record) {
  auto it = user_record.find("Password");
  if (it == user_record.end() || !it->is_object()) return "";
  return it->value("salt", "");
}

OpenedSession OpenSession(api::Context& ctx, const json& pool, const json& client, const UserRef* user,
                          const std::string& challenge, json state) {
  const int64_t now = ctx.clock.NowSeconds();
  Sweep(ctx, now);
  const std::string bytes = ctx.random.Bytes(kSessionBytes);
  ChallengeSession s;
  s.challenge = challenge;
  s.pool_id = pool["Id"];
  s.client_id = client["ClientId"];
  if (user) {
    s.user_key = user->key;
    s.sub = user->record["Attributes"].value("sub", "");
    s.password_stamp = PasswordStamp(user->record);
  }
  s.expires = now + client.value("AuthSessionValidity", int64_t{3}) * 60;
  s.state = std::move(state);
  const std::string hash = crypto::Sha256(bytes);
  ctx.txn.PutJson(Table::kSessions, keys::Tuple({hash}), ToJson(s));
  ctx.txn.Put(Table::kSessionExpiry, ExpiryKey(s.expires, hash), "");
  return OpenedSession{crypto::Base64UrlEncode(bytes), crypto::Base64Encode(bytes)};
}

LiveSession RequireSession(api::Context& ctx, const std::string& text, SessionName name,
                           const std::string& challenge) {
  const ApiError invalid = errors::NotAuthorized("Invalid session for the user.");
  const std::optional<std::string> bytes =
      name == SessionName::kSession ? crypto::Base64UrlDecode(text) : crypto::Base64Decode(text);
  if (!bytes || bytes->size() != kSessionBytes) throw invalid;
  LiveSession live;
  live.key = RecordKey(*bytes);
  auto record = ctx.txn.GetJson(Table::kSessions, live.key);
  if (!record) throw invalid;
  if (record->value("Used", false)) {
    throw errors::NotAuthorized("Invalid session for the user, session can only be used once.");
  }
  live.session = FromJson(*record);
  const ChallengeSession& s = live.session;
  if (s.expires <= ctx.clock.NowSeconds()) {
    throw errors::NotAuthorized("Invalid session for the user, session is expired.");
  }
  if (s.challenge != challenge) throw invalid;
  auto pool = FindPool(ctx.txn, s.pool_id);
  auto client = FindClient(ctx.txn, s.client_id);
  if (!pool || !client || (*client)["UserPoolId"] != s.pool_id) throw invalid;
  live.pool_record = std::move(pool);
  live.app_client = std::move(client);
  if (!s.user_key.empty()) {
    live.user = FindUserByUsername(ctx.txn, live.pool(), s.user_key);
    if (!live.user || live.user->key != s.user_key ||
        live.user->record["Attributes"].value("sub", "") != s.sub ||
        PasswordStamp(live.user->record) != s.password_stamp) {
      throw invalid;
    }
  }
  return live;
}

LiveSession RequireSession(api::Context& ctx, const json& pool, const json& client, const std::string& text,
                           SessionName name, const std::string& challenge) {
  LiveSession live = RequireSession(ctx, text, name, challenge);
  if (live.session.pool_id != pool["Id"] || live.session.client_id != client["ClientId"]) {
    throw errors::NotAuthorized("Invalid session for the user.");
  }
  return live;
}

OpenedSession ContinueSession(api::Context& ctx, const LiveSession& live, const std::string& text,
                              const std::string& challenge, json state) {
  ChallengeSession s = live.session;
  s.challenge = challenge;
  s.state = std::move(state);
  const int64_t expires = ctx.clock.NowSeconds() + live.client().value("AuthSessionValidity", int64_t{3}) * 60;
  if (expires != s.expires) {
    const std::string hash = keys::Split(live.key).at(0);
    ctx.txn.Put(Table::kSessionExpiry, ExpiryKey(expires, hash), "");  // the old entry is swept harmlessly
    s.expires = expires;
  }
  ctx.txn.PutJson(Table::kSessions, live.key, ToJson(s));
  const std::optional<std::string> bytes = crypto::Base64UrlDecode(text);
  return OpenedSession{text, crypto::Base64Encode(bytes.value_or(""))};
}

void ConsumeSession(api::Context& ctx, const LiveSession& live) {
  json record = ToJson(live.session);
  record["Used"] = true;
  record["State"] = json::object();  // nothing a used session needs (SRP secrets included)
  ctx.txn.PutJson(Table::kSessions, live.key, record);
}

void SaveSession(api::Context& ctx, const LiveSession& live) {
  ctx.txn.PutJson(Table::kSessions, live.key, ToJson(live.session));
}

}  // namespace cogemu::idp
