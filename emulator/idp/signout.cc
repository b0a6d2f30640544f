// Sign-out and token revocation: GlobalSignOut, AdminUserGlobalSignOut, RevokeToken.
//  - The global sign-outs revoke every token the user has been issued so far (the user record's
//    TokensRevokedAt, see idp/tokens.h); tokens issued afterwards work.
//  - RevokeToken revokes one refresh token and the access tokens of the same sign-in
//    (origin_jti). An unknown or already revoked token answers {} as the OAuth revoke endpoint
//    does (§3.7); the API's answer for it is not documented.
#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/crypto/hash.h"
#include "emulator/idp/common.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/tokens.h"

namespace cogemu::idp {
namespace {

using api::OptStr;
using api::Str;

void SignOutEverywhere(api::Context& ctx, const json& pool, UserRef user) {
  const json previous = user.record;
  RevokeIssuedTokens(ctx, user.record);
  PutUser(ctx, pool, user, &previous);
}

}  // namespace

json GlobalSignOut(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  SignOutEverywhere(ctx, grant.pool, grant.user);
  return json::object();
}

json AdminUserGlobalSignOut(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, Str(in, "UserPoolId"));
  const json& pool = shared_pool.pool();
  SignOutEverywhere(ctx, pool, RequireUserByAny(ctx, pool, Str(in, "Username")));
  return json::object();
}

// Errors: RevokeToken does not declare NotAuthorizedException; client-credential problems use
// the declared UnauthorizedException and a client without EnableTokenRevocation the declared
// UnsupportedOperationException. The message texts are not confirmed against AWS.
json RevokeToken(api::Context& ctx, const json& in) {
  const std::string client_id = Str(in, "ClientId");
  ClientAndPool cp = RequireClientAndPool(ctx, client_id);
  if (auto secret = cp.client.find("ClientSecret"); secret != cp.client.end() && secret->is_string()) {
    const std::optional<std::string> given = OptStr(in, "ClientSecret");
    if (!given || given->empty()) {
      throw ApiError("UnauthorizedException",
                     "Client " + client_id + " is configured with secret but ClientSecret was not received");
    }
    if (!crypto::ConstantTimeEquals(secret->get<std::string>(), *given)) {
      throw ApiError("UnauthorizedException", "Unable to verify secret for client " + client_id);
    }
  }
  if (!cp.client.value("EnableTokenRevocation", true)) {
    throw ApiError("UnsupportedOperationException", "Token revocation is not enabled for this client");
  }
  RevokeRefreshToken(ctx, cp.pool, cp.client, Str(in, "Token"));
  return json::object();
}

}  // namespace cogemu::idp
