// Auth events: the emulator records no risk-based auth events (AWS does only with threat
// protection), so a user's event list is empty and feedback on an event is accepted.
#include "emulator/api/input.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/users.h"

namespace cogemu::idp {

json AdminListUserAuthEvents(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  RequireUserByAny(ctx, pool, api::Str(in, "Username"));
  return {{"AuthEvents", json::array()}};
}

json AdminUpdateAuthEventFeedback(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  RequireUserByAny(ctx, pool, api::Str(in, "Username"));
  return json::object();
}

json UpdateAuthEventFeedback(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, in["UserPoolId"]);
  const json& pool = shared_pool.pool();
  RequireUserByAny(ctx, pool, api::Str(in, "Username"));
  return json::object();
}

}  // namespace cogemu::idp
