#include "emulator/idp/tokens.h"

#include <cmath>

#include "emulator/api/error.h"
#include "emulator/crypto/hash.h"
#include "emulator/crypto/jwt.h"
#include "emulator/crypto/rsa.h"
#include "emulator/idp/devices.h"
#include "emulator/idp/groups.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/rules/attributes.h"

namespace cogemu::idp {
namespace {

using store::Table;
namespace keys = store::keys;

constexpr const char* kRefreshHeader = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ";
constexpr const char* kAdminScope = "aws.cognito.signin.user.admin";

int64_t UnitSeconds(const json& client, const char* unit_key, const char* fallback) {
  std::string unit = fallback;
  if (auto it = client.find("TokenValidityUnits"); it != client.end() && it->is_object()) {
    unit = it->value(unit_key, fallback);
  }
  if (unit == "seconds") return 1;
  if (unit == "minutes") return 60;
  if (unit == "hours") return 3600;
  return 86400;
}

int64_t Lifetime(const json& client, const char* member, const char* unit_key, const char* unit,
                 int64_t fallback_seconds) {
  auto it = client.find(member);
  if (it == client.end() || !it->is_number_integer() || it->get<int64_t>() <= 0) return fallback_seconds;
  return it->get<int64_t>() * UnitSeconds(client, unit_key, unit);
}

std::string RefreshKey(const std::string& pool_id, const std::string& token) {
  return keys::Tuple({pool_id, crypto::HexEncode(crypto::Sha256(token))});
}

// Attribute claims as AWS renders them: *_verified as booleans, updated_at as a number,
// everything else (custom attributes included) as strings.
json AttributeClaim(const std::string& name, const std::string& value) {
  if (name == "email_verified" || name == "phone_number_verified") return value == "true";
  if (name == "updated_at") {
    try {
      return std::stoll(value);
    } catch (...) {
      return value;
    }
  }
  return value;
}

std::string RevokedOriginKey(const std::string& pool_id, const std::string& origin_jti) {
  return keys::Tuple({"revoked_origin", pool_id, origin_jti});
}

// Tokens carry whole seconds (iat), so a sign-in in the same second as a global sign-out
// cannot be told apart by time alone: its origin_jti is allow-listed instead.
std::string AllowedOriginKey(const std::string& pool_id, const std::string& origin_jti) {
  return keys::Tuple({"allowed_origin", pool_id, origin_jti});
}

int64_t TokensRevokedAtMs(const json& user_record) {
  auto it = user_record.find("TokensRevokedAtMs");
  return it != user_record.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

int64_t TokensRevokedAt(const json& user_record) {
  auto it = user_record.find("TokensRevokedAt");
  return it != user_record.end() && it->is_number() ? it->get<int64_t>() : -1;
}

std::string PoolIdFromIssuer(const std::string& iss) {
  const size_t slash = iss.rfind('/');
  return slash == std::string::npos ? std::string() : iss.substr(slash + 1);
}

// cognito:groups in both tokens (names by precedence); the ID token also gets cognito:roles
// (the groups' role ARNs, same order) and cognito:preferred_role: the role of the group with
// the lowest Precedence among those with a role and a Precedence, left out when groups tied on
// that Precedence have different roles (one role shared by the tied groups still counts).
void AddGroupClaims(const store::Txn& txn, const std::string& pool_id, const std::string& user_key, json& id,
                    json& access) {
  const std::vector<json> groups = GroupsOfUser(txn, pool_id, user_key);
  if (groups.empty()) return;
  json names = json::array();
  json roles = json::array();
  std::optional<int64_t> best;
  std::optional<std::string> preferred;
  bool tied = false;
  for (const json& g : groups) {
    names.push_back(g["GroupName"]);
    if (!g.contains("RoleArn")) continue;
    const std::string role = g["RoleArn"];
    roles.push_back(role);
    if (!g.contains("Precedence")) continue;
    const int64_t precedence = g["Precedence"];
    if (!best || precedence < *best) {
      best = precedence;
      preferred = role;
      tied = false;
    } else if (precedence == *best && role != *preferred) {
      tied = true;
    }
  }
  id["cognito:groups"] = names;
  access["cognito:groups"] = names;
  if (!roles.empty()) id["cognito:roles"] = roles;
  if (preferred && !tied) id["cognito:preferred_role"] = *preferred;
}

// Issues and stores a refresh token carrying `facts` (expiring at facts.refresh_expires, or after
// the client's RefreshTokenValidity).
std::string NewRefreshToken(api::Context& ctx, const std::string& pool_id, const json& client, const std::string& sub,
                            const SessionFacts& facts) {
  std::string token = kRefreshHeader;
  for (size_t n : {256, 12, 1200, 16}) {
    token += '.';
    token += crypto::Base64UrlEncode(ctx.random.Bytes(n));
  }
  const int64_t now = ctx.clock.NowSeconds();
  const int64_t expires = facts.refresh_expires
                              ? facts.refresh_expires
                              : now + Lifetime(client, "RefreshTokenValidity", "RefreshToken", "days", 30 * 86400);
  json record = {{"ClientId", client["ClientId"]},
                 {"Sub", sub},
                 {"OriginJti", facts.origin_jti},
                 {"AuthTime", facts.auth_time},
                 {"Issued", now},
                 {"IssuedMs", ctx.clock.NowMillis()},
                 {"Expires", expires},
                 {"Revoked", false}};
  if (!facts.device_key.empty()) record["DeviceKey"] = facts.device_key;
  ctx.txn.PutJson(Table::kRefreshTokens, RefreshKey(pool_id, token), record);
  return token;
}

// A rotated-out token's record keeps its replacement for the grace period, sealed with a key
// stream derived from the old token itself: only its holder can read it back, and the store
// never holds a usable refresh token. Format: base64(replacement XOR HMAC-SHA256 blocks of
// (old token, "rotation|<n>")). Sealing twice unseals.
std::string SealWith(const std::string& token, std::string text) {
  for (size_t i = 0; i < text.size(); i += 32) {
    const std::string block = crypto::HmacSha256(token, "rotation|" + std::to_string(i / 32));
    for (size_t j = 0; j < 32 && i + j < text.size(); ++j) text[i + j] = static_cast<char>(text[i + j] ^ block[j]);
  }
  return text;
}

int64_t GraceSeconds(const json& client) {
  auto it = client.find("RefreshTokenRotation");
  if (it == client.end() || !it->is_object()) return 0;
  return it->value("RetryGracePeriodSeconds", int64_t{0});
}

}  // namespace

std::string Issuer(const Config& config, const std::string& pool_id) {
  if (config.issuer == "local" && !config.public_url.empty()) return config.public_url + "/" + pool_id;
  const std::string region = pool_id.substr(0, pool_id.find('_'));
  return "https://cognito-idp." + region + ".amazonaws.com/" + pool_id;
}

json IssueTokens(api::Context& ctx, const json& pool, const json& client, const UserRef& user,
                 const SessionFacts& facts, bool with_refresh) {
  const std::string pool_id = pool["Id"];
  const std::string client_id = client["ClientId"];
  PoolKeyPair keys = ctx.services.signing_keys->Ensure(ctx.txn, pool_id);
  const int64_t now = ctx.clock.NowSeconds();
  const int64_t auth_time = facts.auth_time ? facts.auth_time : now;
  const bool revocable = client.value("EnableTokenRevocation", true);
  const std::string origin_jti = facts.origin_jti.empty() ? ctx.random.Uuid4() : facts.origin_jti;
  const std::string event_id = ctx.random.Uuid4();
  const std::string iss = Issuer(ctx.config, pool_id);
  const json& attrs = user.record["Attributes"];
  const std::string sub = attrs.value("sub", "");
  const json* readable = client.contains("ReadAttributes") ? &client["ReadAttributes"] : nullptr;

  json id = {{"sub", sub},
             {"iss", iss},
             {"cognito:username", user.record["Username"]},
             {"aud", client_id},
             {"event_id", event_id},
             {"token_use", "id"},
             {"auth_time", auth_time},
             {"iat", now},
             {"exp", now + Lifetime(client, "IdTokenValidity", "IdToken", "hours", 3600)}};
  for (auto it = attrs.begin(); it != attrs.end(); ++it) {
    if (it.key() == "sub" || it.key().rfind("dev:", 0) == 0) continue;
    if (!rules::ClientCanRead(readable, it.key())) continue;
    id[it.key()] = AttributeClaim(it.key(), it.value().get<std::string>());
  }
  json access = {{"sub", sub},
                 {"iss", iss},
                 {"client_id", client_id},
                 {"event_id", event_id},
                 {"token_use", "access"},
                 {"scope", kAdminScope},
                 {"auth_time", auth_time},
                 {"iat", now},
                 {"exp", now + Lifetime(client, "AccessTokenValidity", "AccessToken", "hours", 3600)},
                 {"username", user.record["Username"]}};
  AddGroupClaims(ctx.txn, pool_id, user.key, id, access);
  if (!facts.device_key.empty()) access["device_key"] = facts.device_key;
  if (revocable && now <= TokensRevokedAt(user.record)) {
    ctx.txn.Put(Table::kMeta, AllowedOriginKey(pool_id, origin_jti), "");
  }
  if (revocable) {
    id["origin_jti"] = origin_jti;
    id["jti"] = ctx.random.Uuid4();
    access["origin_jti"] = origin_jti;
    access["jti"] = ctx.random.Uuid4();
  }
  // Signed after the transaction commits, outside the store's write lock.
  const int64_t expires_in = access["exp"].get<int64_t>() - now;
  json result = {{"AccessToken", ctx.Defer([key = keys.access, claims = std::move(access)] {
                    return crypto::SignJwt(*key, claims);
                  })},
                 {"ExpiresIn", expires_in},
                 {"IdToken", ctx.Defer([key = keys.id, claims = std::move(id)] { return crypto::SignJwt(*key, claims); })},
                 {"TokenType", "Bearer"}};
  if (with_refresh) {
    SessionFacts kept = facts;
    kept.auth_time = auth_time;
    kept.origin_jti = origin_jti;
    result["RefreshToken"] = NewRefreshToken(ctx, pool_id, client, sub, kept);
  }
  return result;
}

RefreshGrant RedeemRefreshToken(api::Context& ctx, const json& pool, const json& client,
                                const std::string& refresh_token, const std::string& device_key) {
  const std::string pool_id = pool["Id"];
  const ApiError invalid = errors::NotAuthorized("Invalid Refresh Token.");
  const std::string key = RefreshKey(pool_id, refresh_token);
  auto record = ctx.txn.GetJson(Table::kRefreshTokens, key);
  if (!record || (*record)["ClientId"] != client["ClientId"]) throw invalid;
  if (record->value("Revoked", false)) throw errors::NotAuthorized("Refresh Token has been revoked");
  if ((*record)["Expires"].get<int64_t>() <= ctx.clock.NowSeconds()) {
    throw errors::NotAuthorized("Refresh Token has expired");
  }
  if (record->contains("ReplacedAtMs") && record->value("GraceUntilMs", int64_t{0}) < ctx.clock.NowMillis()) {
    // Unconfirmed wording; the exception is the model's.
    throw ApiError("RefreshTokenReuseException", "Refresh token has been reused.");
  }
  auto user = FindUserBySub(ctx.txn, pool_id, (*record)["Sub"].get<std::string>());
  if (!user) throw errors::NotAuthorized("Refresh Token has been revoked");
  if (!user->record.value("Enabled", true)) throw errors::NotAuthorized("User is disabled.");
  const int64_t revoked_ms = TokensRevokedAtMs(user->record);
  if (record->contains("IssuedMs") && revoked_ms >= 0) {
    if ((*record)["IssuedMs"].get<int64_t>() <= revoked_ms) {
      throw errors::NotAuthorized("Refresh Token has been revoked");
    }
  } else {
    const json& issued = record->contains("Issued") ? (*record)["Issued"] : (*record)["AuthTime"];
    if (issued.get<int64_t>() <= TokensRevokedAt(user->record)) {
      throw errors::NotAuthorized("Refresh Token has been revoked");
    }
  }
  // A token bound to a device ends with the device (ForgetDevice), and once the device is
  // confirmed it is only good together with its DEVICE_KEY.
  const std::string bound = record->value("DeviceKey", "");
  if (!bound.empty()) {
    auto device = FindDevice(ctx.txn, pool_id, *user, bound);
    if (!device || (device->confirmed && device_key != bound)) throw invalid;
  }
  SessionFacts facts{(*record)["AuthTime"].get<int64_t>(), (*record)["OriginJti"].get<std::string>(), bound,
                     (*record)["Expires"].get<int64_t>()};
  return RefreshGrant{*user, std::move(facts), key, *record};
}

std::string RotateRefreshToken(api::Context& ctx, const json& pool, const json& client, const RefreshGrant& grant,
                               const std::string& refresh_token) {
  if (auto sealed = grant.record.find("Replacement"); sealed != grant.record.end() && sealed->is_string()) {
    if (auto bytes = crypto::Base64Decode(sealed->get<std::string>())) return SealWith(refresh_token, *bytes);
  }
  const std::string replacement =
      NewRefreshToken(ctx, pool["Id"], client, grant.user.record["Attributes"].value("sub", ""), grant.facts);
  json old = grant.record;
  const int64_t now_ms = ctx.clock.NowMillis();
  const int64_t grace_ms = GraceSeconds(client) * 1000;
  old["ReplacedAtMs"] = now_ms;
  old["GraceUntilMs"] = grace_ms > 0 ? now_ms + grace_ms : now_ms - 1;  // 0: refused at once
  if (grace_ms > 0) old["Replacement"] = crypto::Base64Encode(SealWith(refresh_token, replacement));
  ctx.txn.PutJson(Table::kRefreshTokens, grant.key, old);
  return replacement;
}

AccessGrant RequireAccessToken(api::Context& ctx, const std::string& token) {
  auto decoded = crypto::DecodeJwt(token);
  if (!decoded || !decoded->payload.is_object()) throw errors::NotAuthorized("Invalid Access Token");
  const json& claims = decoded->payload;
  const std::string iss = claims.value("iss", "");
  const std::string pool_id = PoolIdFromIssuer(iss);
  if (pool_id.empty() || iss != Issuer(ctx.config, pool_id)) throw errors::NotAuthorized("Invalid Access Token");
  auto keys = ctx.services.signing_keys->Find(ctx.txn, pool_id);
  if (!keys || decoded->header.value("kid", "") != keys->access->kid() || !crypto::VerifyJwt(*keys->access, *decoded)) {
    throw errors::NotAuthorized("Invalid Access Token");
  }
  if (claims.value("token_use", "") != "access") throw errors::NotAuthorized("Invalid Access Token");
  if (!claims.contains("exp") || !claims["exp"].is_number() ||
      claims["exp"].get<int64_t>() <= ctx.clock.NowSeconds()) {
    throw errors::NotAuthorized("Access Token has expired");
  }
  auto pool = FindPool(ctx.txn, pool_id);
  if (!pool) throw errors::NotAuthorized("Invalid Access Token");
  auto client = FindClient(ctx.txn, claims.value("client_id", ""));
  if (!client) throw errors::NotAuthorized("Invalid Access Token");
  auto user = FindUserBySub(ctx.txn, pool_id, claims.value("sub", ""));
  if (!user) throw errors::UserNotFound();
  if (!user->record.value("Enabled", true)) throw errors::NotAuthorized("User is disabled.");
  if (TokenRevoked(ctx.txn, pool_id, user->record, claims)) throw errors::NotAuthorized("Access Token has been revoked");
  return AccessGrant{(*pool)["pool"], *client, *user, claims};
}

bool TokenRevoked(const store::Txn& txn, const std::string& pool_id, const json& user_record, const json& claims) {
  const int64_t iat = claims.contains("iat") && claims["iat"].is_number() ? claims["iat"].get<int64_t>() : 0;
  const auto origin = claims.find("origin_jti");
  const std::string origin_jti = origin != claims.end() && origin->is_string() ? origin->get<std::string>() : "";
  if (iat <= TokensRevokedAt(user_record) &&
      (origin_jti.empty() || !txn.Has(Table::kMeta, AllowedOriginKey(pool_id, origin_jti)))) {
    return true;
  }
  return !origin_jti.empty() && txn.Has(Table::kMeta, RevokedOriginKey(pool_id, origin_jti));
}

void RevokeIssuedTokens(api::Context& ctx, json& user_record) {
  user_record["TokensRevokedAt"] = ctx.clock.NowSeconds();
  user_record["TokensRevokedAtMs"] = ctx.clock.NowMillis();
}

void RevokeRefreshToken(api::Context& ctx, const json& pool, const json& client, const std::string& refresh_token) {
  const std::string pool_id = pool["Id"];
  const std::string key = RefreshKey(pool_id, refresh_token);
  auto record = ctx.txn.GetJson(Table::kRefreshTokens, key);
  if (!record) return;  // unknown, garbage or already deleted: AWS answers success
  if ((*record)["ClientId"] != client["ClientId"]) {
    throw ApiError("UnauthorizedException", "Invalid Refresh Token.");
  }
  (*record)["Revoked"] = true;
  ctx.txn.PutJson(Table::kRefreshTokens, key, *record);
  const std::string origin = record->value("OriginJti", "");
  if (!origin.empty()) ctx.txn.Put(Table::kMeta, RevokedOriginKey(pool_id, origin), "1");
}

json Jwks(const PoolKeyPair& keys) { return {{"keys", json::array({keys.id->jwk(), keys.access->jwk()})}}; }

json OpenIdConfiguration(const Config& config, const std::string& pool_id) {
  const std::string iss = Issuer(config, pool_id);
  const std::string base = config.public_url.empty() ? iss : config.public_url + "/" + pool_id;
  return {{"issuer", iss},
          {"jwks_uri", iss + "/.well-known/jwks.json"},
          {"authorization_endpoint", base + "/authorize"},
          {"token_endpoint", base + "/token"},
          {"userinfo_endpoint", base + "/userInfo"},
          {"response_types_supported", json::array({"code", "token"})},
          {"scopes_supported", json::array({"openid", "email", "phone", "profile"})},
          {"subject_types_supported", json::array({"public"})},
          {"id_token_signing_alg_values_supported", json::array({"RS256"})},
          {"token_endpoint_auth_methods_supported", json::array({"client_secret_basic", "client_secret_post"})}};
}

void DeletePoolTokens(api::Context& ctx, const std::string& pool_id) {
  ctx.txn.DelPrefix(Table::kRefreshTokens, keys::Prefix({pool_id}));
  ctx.txn.DelPrefix(Table::kMeta, keys::Prefix({"revoked_origin", pool_id}));
  ctx.txn.DelPrefix(Table::kMeta, keys::Prefix({"allowed_origin", pool_id}));
  ctx.txn.Del(Table::kPoolKeys, keys::Tuple({pool_id}));
}

}  // namespace cogemu::idp
