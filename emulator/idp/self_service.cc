// Calls a signed-in user makes with their access token: GetUser, DeleteUser.
#include "emulator/api/error.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/mfa.h"
#include "emulator/idp/tokens.h"

namespace cogemu::idp {

json GetUser(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, in["AccessToken"]);
  const json* readable = grant.client.contains("ReadAttributes") ? &grant.client["ReadAttributes"] : nullptr;
  json out = {{"Username", grant.user.record["Username"]},
              {"UserAttributes", AttributeList(grant.user.record, readable)}};
  AddMfaSettings(grant.user.record, out);
  return out;
}

json DeleteUser(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, in["AccessToken"]);
  idp::DeleteUser(ctx, grant.pool, grant.user);
  return json::object();
}

}  // namespace cogemu::idp
