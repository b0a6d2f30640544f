// Login verification for identity pools (see logins.h).
#include "emulator/identity/logins.h"

#include <algorithm>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/hash.h"
#include "emulator/crypto/jwt.h"
#include "emulator/crypto/rsa.h"
#include "emulator/identity/openid.h"
#include "emulator/identity/records.h"
#include "emulator/idp/signing_keys.h"
#include "emulator/idp/tokens.h"
#include "emulator/idp/users.h"

namespace cogemu::identity {
namespace {

using store::Table;
namespace keys = store::keys;

constexpr const char* kUserPoolPrefix = "cognito-idp.";

ApiError Unsupported() {
  return errors::NotAuthorized("Token is not from a supported provider of this identity pool.");
}
ApiError Invalid(const std::string& why) { return errors::NotAuthorized("Invalid login token. " + why); }
// Unconfirmed wording: what AWS says for a login that is not a JWT where one is expected.
ApiError NotAJwt() { return Invalid("Not a valid OpenId Connect identity token."); }

std::string WithoutScheme(const std::string& url) {
  const size_t at = url.find("://");
  return at == std::string::npos ? url : url.substr(at + 3);
}

std::string AwsUserPoolProvider(const std::string& pool_id) {
  return std::string(kUserPoolPrefix) + pool_id.substr(0, pool_id.find('_')) + ".amazonaws.com/" + pool_id;
}

// The user pool a Logins key names, in either issuer mode, or nullopt.
std::optional<std::string> UserPoolOfKey(const Config& config, const std::string& key) {
  const size_t slash = key.rfind('/');
  if (slash == std::string::npos) return std::nullopt;
  const std::string pool_id = key.substr(slash + 1);
  if (pool_id.find('_') == std::string::npos) return std::nullopt;
  if (key == AwsUserPoolProvider(pool_id)) return pool_id;
  if (!config.public_url.empty() && key == WithoutScheme(config.public_url) + "/" + pool_id) return pool_id;
  return std::nullopt;
}

std::optional<int64_t> NumberClaim(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  return it->get<int64_t>();
}

void CheckExpiry(const api::Context& ctx, const json& claims) {
  const auto exp = NumberClaim(claims, "exp");
  if (!exp) throw Invalid("Missing a required claim: exp");
  const int64_t now = ctx.clock.NowSeconds();
  if (now >= *exp) throw Invalid("Token expired: " + std::to_string(now) + " >= " + std::to_string(*exp));
}

bool AudienceIn(const json& aud, const std::vector<std::string>& allowed) {
  auto ok = [&](const json& v) {
    return v.is_string() && std::find(allowed.begin(), allowed.end(), v.get<std::string>()) != allowed.end();
  };
  if (aud.is_array()) return std::any_of(aud.begin(), aud.end(), ok);
  return ok(aud);
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    const size_t comma = s.find(',', start);
    std::string part = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

std::string JwksKey(const std::string& issuer) { return keys::Tuple({"identity_provider_jwks", issuer}); }

Login UserPoolLogin(api::Context& ctx, const json& pool, const std::string& key,
                    const std::string& user_pool_id, const std::string& token) {
  const std::string provider = AwsUserPoolProvider(user_pool_id);
  std::vector<const json*> entries;
  for (const auto& p : pool["CognitoIdentityProviders"]) {
    const std::string name = p.value("ProviderName", "");
    if (name == provider || name == key) entries.push_back(&p);
  }
  if (entries.empty()) throw Unsupported();
  auto decoded = crypto::DecodeJwt(token);
  if (!decoded) throw NotAJwt();
  const json& claims = decoded->payload;
  if (claims.value("iss", json()) != idp::Issuer(ctx.config, user_pool_id)) {
    throw Invalid("Issuer doesn't match providerName");
  }
  auto pool_keys = ctx.services.signing_keys->Find(ctx.txn, user_pool_id);
  const std::string kid = api::Str(decoded->header, "kid");
  const crypto::RsaKey* signer = nullptr;
  if (pool_keys && kid == pool_keys->id->kid()) signer = pool_keys->id.get();
  if (pool_keys && kid == pool_keys->access->kid()) signer = pool_keys->access.get();
  if (!signer || !crypto::VerifyJwt(*signer, *decoded)) throw Invalid("Couldn't verify signed token.");
  if (!claims.contains("aud")) throw Invalid("Missing a required claim: aud");
  CheckExpiry(ctx, claims);
  const json* entry = nullptr;
  for (const json* e : entries) {
    if (claims["aud"] == (*e)["ClientId"]) entry = e;
  }
  // Unconfirmed wording (seen for Google/OIDC logins whose audience is not configured).
  if (!entry) throw Invalid("Incorrect token audience.");
  const std::string sub = api::Str(claims, "sub");
  if (sub.empty()) throw Invalid("Missing a required claim: sub");
  if ((*entry).value("ServerSideTokenCheck", false)) {
    // Unconfirmed wordings: AWS answers "a 400 Not Authorized error" for signed-out, disabled or
    // deleted users when ServerSideTokenCheck is on.
    auto user = idp::FindUserBySub(ctx.txn, user_pool_id, sub);
    if (!user) throw Invalid("User does not exist.");
    if (!user->record.value("Enabled", true)) throw Invalid("User is disabled.");
    if (idp::TokenRevoked(ctx.txn, user_pool_id, user->record, claims))
      throw Invalid("Token has been revoked.");
  }
  return Login{provider, sub, claims, claims["aud"].get<std::string>(), false};
}

// JWT of an external provider: structure, issuer, signature when a JWKS is registered, audience
// when `audiences` is not empty, expiry.
Login JwtLogin(api::Context& ctx, const std::string& provider, const std::string& token,
               const std::vector<std::string>& issuers, const std::vector<std::string>& audiences) {
  auto decoded = crypto::DecodeJwt(token);
  if (!decoded) throw NotAJwt();
  const json& claims = decoded->payload;
  const json iss = claims.value("iss", json());
  if (!iss.is_string() ||
      std::find(issuers.begin(), issuers.end(), iss.get<std::string>()) == issuers.end()) {
    throw Invalid("Issuer doesn't match providerName");
  }
  if (auto jwks = ctx.txn.GetJson(Table::kMeta, JwksKey(iss.get<std::string>()))) {
    const std::string kid = api::Str(decoded->header, "kid");
    bool verified = false;
    if (api::Str(decoded->header, "alg") == "RS256" && jwks->contains("keys") && (*jwks)["keys"].is_array()) {
      for (const auto& jwk : (*jwks)["keys"]) {
        if (!kid.empty() && api::Str(jwk, "kid") != kid) continue;
        if (crypto::VerifyRs256WithJwk(jwk, decoded->signing_input, decoded->signature)) verified = true;
      }
    }
    if (!verified) throw Invalid("Couldn't verify signed token.");
  }
  if (!claims.contains("aud")) throw Invalid("Missing a required claim: aud");
  if (!audiences.empty() && !AudienceIn(claims["aud"], audiences)) throw Invalid("Incorrect token audience.");
  CheckExpiry(ctx, claims);
  const json sub = claims.value("sub", json());
  if (!sub.is_string() || sub.get<std::string>().empty()) throw Invalid("Missing a required claim: sub");
  return Login{provider, sub.get<std::string>(), claims, "", false};
}

// Opaque tokens and SAML responses: the subject is a digest of the token.
Login OpaqueLogin(const std::string& provider, const std::string& token) {
  if (token.find_first_of(" \t\r\n") != std::string::npos)
    throw Invalid("The token is malformed.");  // Unconfirmed.
  if (provider == "api.twitter.com") {
    const size_t semi = token.find(';');
    if (semi == std::string::npos || semi == 0 || semi + 1 == token.size()) {
      // Unconfirmed wording: Twitter logins are "<access token>;<access token secret>".
      throw Invalid("Twitter logins must be <token>;<secret>.");
    }
  }
  return Login{provider, "sha256:" + crypto::HexEncode(crypto::Sha256(token)).substr(0, 40), json::object(),
               "", false};
}

std::string OidcHost(const std::string& arn) {
  const std::string marker = ":oidc-provider/";
  const size_t at = arn.find(marker);
  return at == std::string::npos ? std::string() : arn.substr(at + marker.size());
}

Login VerifyOne(api::Context& ctx, const json& pool, const std::string& key, const std::string& token,
                const std::string& developer_provider) {
  const std::string pool_id = pool["IdentityPoolId"];
  if (!developer_provider.empty() && key == developer_provider)
    return Login{key, token, json::object(), "", false};
  if (key == kIdentityLoginKey) {
    json claims = VerifyOpenIdToken(ctx, pool_id, token);
    return Login{key, api::Str(claims, "sub"), claims, "", true};
  }
  if (auto user_pool = UserPoolOfKey(ctx.config, key))
    return UserPoolLogin(ctx, pool, key, *user_pool, token);
  const json& supported = pool["SupportedLoginProviders"];
  if (supported.contains(key)) {
    const std::vector<std::string> audiences = SplitComma(supported[key].get<std::string>());
    if (key == "accounts.google.com") {
      return JwtLogin(ctx, key, token, {"accounts.google.com", "https://accounts.google.com"}, audiences);
    }
    if (key == "appleid.apple.com")
      return JwtLogin(ctx, key, token, {"https://appleid.apple.com"}, audiences);
    return OpaqueLogin(key, token);
  }
  for (const auto& arn : pool["OpenIdConnectProviderARNs"]) {
    const std::string host = OidcHost(arn.get<std::string>());
    if (!host.empty() && (key == host || key == arn)) {
      return JwtLogin(ctx, host, token, {"https://" + host, host}, {});
    }
  }
  for (const auto& arn : pool["SamlProviderARNs"]) {
    if (key != arn) continue;
    auto xml = crypto::Base64Decode(token);
    // Unconfirmed wording: a SAML login is a base64 SAML response with an assertion.
    if (!xml || xml->find("Assertion") == std::string::npos) throw Invalid("Not a valid SAML response.");
    return OpaqueLogin(key, token);
  }
  throw Unsupported();
}

}  // namespace

std::vector<Login> VerifyLogins(api::Context& ctx, const json& pool, const json& logins,
                                const std::string& developer_provider) {
  std::vector<Login> out;
  for (auto it = logins.begin(); it != logins.end(); ++it) {
    if (!it.value().is_string()) continue;  // explicit nulls: absent
    out.push_back(VerifyOne(ctx, pool, it.key(), it.value().get<std::string>(), developer_provider));
  }
  return out;
}

std::string CanonicalProvider(const Config& config, const std::string& key) {
  if (auto user_pool = UserPoolOfKey(config, key)) return AwsUserPoolProvider(*user_pool);
  return key;
}

std::vector<std::string> ProviderNames(const json& pool) {
  std::vector<std::string> names;
  for (const auto& p : pool["CognitoIdentityProviders"]) names.push_back(p.value("ProviderName", ""));
  for (auto it = pool["SupportedLoginProviders"].begin(); it != pool["SupportedLoginProviders"].end(); ++it) {
    names.push_back(it.key());
  }
  for (const auto& arn : pool["OpenIdConnectProviderARNs"]) {
    names.push_back(arn.get<std::string>());
    names.push_back(OidcHost(arn.get<std::string>()));
  }
  for (const auto& arn : pool["SamlProviderARNs"]) names.push_back(arn.get<std::string>());
  return names;
}

std::vector<std::string> RoleMappingKeys(const json& pool) {
  std::vector<std::string> names = ProviderNames(pool);
  for (const auto& p : pool["CognitoIdentityProviders"]) {
    std::string key = p.value("ProviderName", "");
    key += ':';
    key += p.value("ClientId", "");
    names.push_back(key);
  }
  return names;
}

json DefaultPrincipalTags() {
  // Unconfirmed for providers other than user pools: AWS's documented defaults map the tag
  // "username" to the sub claim and "client" to the aud claim.
  return {{"client", "aud"}, {"username", "sub"}};
}

void RegisterProviderJwks(store::Txn& txn, const std::string& issuer, const json& jwks) {
  txn.PutJson(Table::kMeta, JwksKey(issuer), jwks);
}

json ListProviderJwks(const store::Txn& txn) {
  json out = json::array();
  txn.Scan(Table::kMeta, keys::Prefix({"identity_provider_jwks"}), std::nullopt,
           [&](std::string_view key, std::string_view value) {
             out.push_back({{"issuer", keys::Split(key).at(1)}, {"jwks", json::from_msgpack(value)}});
             return true;
           });
  return out;
}

}  // namespace cogemu::identity
