// The OpenID Connect tokens identity pools issue (GetOpenIdToken,
// GetOpenIdTokenForDeveloperIdentity): RS256 JWTs with iss https://cognito-identity.amazonaws.com,
// sub = identity id, aud = identity pool id, amr, iat, exp. They are signed by one emulator-wide
// key pair kept beside the user pools' keys (SigningKeys entry "cognito-identity") and served as
// a JWKS at GET /.well-known/jwks_uri, the path of AWS's
// https://cognito-identity.amazonaws.com/.well-known/jwks_uri.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "emulator/api/context.h"

namespace cogemu::crypto {
class RsaKey;
}

namespace cogemu::identity {

using json = nlohmann::json;

// The SigningKeys entry that holds the identity pools' key.
inline constexpr const char* kIdentityKeyName = "cognito-identity";

// The key, created (in ctx.txn, which must be writable) on first use.
std::shared_ptr<const crypto::RsaKey> EnsureIdentityKey(api::Context& ctx);
// {"keys":[<the key's JWK>]}.
json IdentityJwks(const crypto::RsaKey& key);

// Signs (after commit) a token for `identity` valid `seconds` from now; `extra` claims are merged
// in (principal tags). Returns the Context::Defer placeholder of the token.
std::string IssueOpenIdToken(api::Context& ctx, const json& identity, const json& amr, int64_t seconds,
                             const json& extra = json::object());

// Claims of a token this emulator issued for identity pool `pool_id`, or NotAuthorizedException.
json VerifyOpenIdToken(api::Context& ctx, const std::string& pool_id, const std::string& token);

}  // namespace cogemu::identity
