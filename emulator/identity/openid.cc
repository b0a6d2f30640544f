// Identity-pool OpenID tokens: the signing key, issuing and verifying (see openid.h).
#include "emulator/identity/openid.h"

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/jwt.h"
#include "emulator/crypto/rsa.h"
#include "emulator/identity/records.h"
#include "emulator/idp/signing_keys.h"

namespace cogemu::identity {

std::shared_ptr<const crypto::RsaKey> EnsureIdentityKey(api::Context& ctx) {
  return ctx.services.signing_keys->Ensure(ctx.txn, kIdentityKeyName).id;
}

json IdentityJwks(const crypto::RsaKey& key) { return {{"keys", json::array({key.jwk()})}}; }

std::string IssueOpenIdToken(api::Context& ctx, const json& identity, const json& amr, int64_t seconds,
                             const json& extra) {
  auto key = EnsureIdentityKey(ctx);
  const int64_t now = ctx.clock.NowSeconds();
  json claims = extra;
  claims["iss"] = kIdentityIssuer;
  claims["sub"] = identity["IdentityId"];
  claims["aud"] = identity["IdentityPoolId"];
  claims["amr"] = amr;
  claims["iat"] = now;
  claims["exp"] = now + seconds;
  return ctx.Defer([key, claims = std::move(claims)] { return crypto::SignJwt(*key, claims); });
}

json VerifyOpenIdToken(api::Context& ctx, const std::string& pool_id, const std::string& token) {
  auto decoded = crypto::DecodeJwt(token);
  // Unconfirmed wording for a malformed token.
  if (!decoded)
    throw errors::NotAuthorized("Invalid login token. Not a valid OpenId Connect identity token.");
  const json& claims = decoded->payload;
  if (api::Str(claims, "iss") != kIdentityIssuer) {
    throw errors::NotAuthorized("Invalid login token. Issuer doesn't match providerName");
  }
  auto keys = ctx.services.signing_keys->Find(ctx.txn, kIdentityKeyName);
  if (!keys || api::Str(decoded->header, "kid") != keys->id->kid() ||
      !crypto::VerifyJwt(*keys->id, *decoded)) {
    throw errors::NotAuthorized("Invalid login token. Couldn't verify signed token.");
  }
  if (!claims.contains("aud"))
    throw errors::NotAuthorized("Invalid login token. Missing a required claim: aud");
  if (claims["aud"] != pool_id) throw errors::NotAuthorized("Invalid login token. Incorrect token audience.");
  const int64_t now = ctx.clock.NowSeconds();
  const int64_t exp = claims.contains("exp") && claims["exp"].is_number() ? claims["exp"].get<int64_t>() : 0;
  if (now >= exp) {
    throw errors::NotAuthorized("Invalid login token. Token expired: " + std::to_string(now) +
                                " >= " + std::to_string(exp));
  }
  return claims;
}

}  // namespace cogemu::identity
