// ID, access and refresh tokens.
//  - ID and access tokens are RS256 JWTs signed with the pool's two keys (idp/signing_keys.h),
//    with the claims real Cognito puts in them; lifetimes follow the app client's settings.
//  - Refresh tokens are opaque strings in AWS's 5-segment JWE shape. Only their SHA-256 is
//    stored (kRefreshTokens), with the session facts a refresh needs.
//  - Access tokens presented to the API are checked for signature, expiry (emulator clock),
//    token_use, that the user still exists and is enabled, and revocation.
//  - Revocation: GlobalSignOut / AdminUserGlobalSignOut / AdminDisableUser store
//    "TokensRevokedAt" (epoch s) on the user record: access tokens with iat <= it and refresh
//    tokens issued ("Issued", else AuthTime) <= it are refused. RevokeToken marks the refresh
//    record Revoked and its origin_jti revoked in kMeta ("revoked_origin", pool_id, origin_jti),
//    which refuses every access token carrying that origin_jti.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/api/context.h"
#include "emulator/idp/signing_keys.h"
#include "emulator/idp/users.h"

namespace cogemu::idp {

using json = nlohmann::json;

// iss for a pool: AWS's form by default, or <public_url>/<poolId> with --issuer local.
std::string Issuer(const Config& config, const std::string& pool_id);

struct SessionFacts {
  int64_t auth_time = 0;    // epoch seconds of the original sign-in
  std::string origin_jti;   // shared by the tokens of one sign-in (empty: new one)
  std::string device_key;   // the device the sign-in used or created: the access token's
                            // device_key claim, and the refresh token is bound to it
  int64_t refresh_expires = 0;  // a rotated refresh token keeps its original expiry (0: new)
};

// Issues ID + access tokens (and a refresh token when `with_refresh`) for `user` through
// `client`, and returns AuthenticationResult.
json IssueTokens(api::Context& ctx, const json& pool, const json& client, const UserRef& user,
                 const SessionFacts& facts, bool with_refresh);

// REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken: validates the refresh token for `client`
// (and, when it is bound to a confirmed device, `device_key`) and returns the user and the facts
// of the original sign-in. Throws NotAuthorizedException as AWS does ("Invalid Refresh Token.",
// "Refresh Token has been revoked", "Refresh Token has expired", "User is disabled.").
struct RefreshGrant {
  UserRef user;
  SessionFacts facts;
  std::string key;      // the token's record key
  json record;          // the token's record
};
RefreshGrant RedeemRefreshToken(api::Context& ctx, const json& pool, const json& client,
                                const std::string& refresh_token, const std::string& device_key);

// GetTokensFromRefreshToken on a client with RefreshTokenRotation: the replacement refresh token
// for the redeemed one. The first call issues it (keeping the original expiry) and rotates the
// old one out; the old one keeps working for RetryGracePeriodSeconds, during which the same
// replacement is returned, and is refused with RefreshTokenReuseException afterwards.
std::string RotateRefreshToken(api::Context& ctx, const json& pool, const json& client, const RefreshGrant& grant,
                               const std::string& refresh_token);

// The user an access token belongs to, after every check AWS makes. Throws
// NotAuthorizedException ("Invalid Access Token", "Access Token has expired",
// "User is disabled.", "Access Token has been revoked"), or UserNotFoundException for a
// deleted user.
struct AccessGrant {
  json pool;
  json client;
  UserRef user;
  json claims;
};
AccessGrant RequireAccessToken(api::Context& ctx, const std::string& token);

// True when a token with these claims (iat, origin_jti) of the user whose record this is was
// revoked: by a global sign-out after it was issued, or by RevokeToken of its sign-in. Shared by
// access tokens and identity pools' ServerSideTokenCheck of ID tokens.
bool TokenRevoked(const store::Txn& txn, const std::string& pool_id, const json& user_record, const json& claims);

// GlobalSignOut / AdminUserGlobalSignOut / AdminDisableUser: revokes every token issued so far
// to the user whose record this is (sets TokensRevokedAt; the caller writes the record).
void RevokeIssuedTokens(api::Context& ctx, json& user_record);

// RevokeToken's effect for `client`: the refresh token and the access tokens of its sign-in
// (same origin_jti) are revoked. An unknown token is a no-op; a token issued to another client
// throws UnauthorizedException "Invalid Refresh Token.".
void RevokeRefreshToken(api::Context& ctx, const json& pool, const json& client, const std::string& refresh_token);

// {"keys":[id key JWK, access key JWK]} for a pool.
json Jwks(const PoolKeyPair& keys);
json OpenIdConfiguration(const Config& config, const std::string& pool_id);

// Removes a pool's signing keys and refresh tokens (DeleteUserPool).
void DeletePoolTokens(api::Context& ctx, const std::string& pool_id);

}  // namespace cogemu::idp
