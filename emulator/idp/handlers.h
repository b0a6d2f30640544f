// Handlers of the user-level cognito-idp API (see api/operations.cc for the table).
#pragma once

#include <nlohmann/json.hpp>

#include "emulator/api/context.h"

namespace cogemu::idp {

using json = nlohmann::json;

// signup.cc
json SignUp(api::Context& ctx, const json& in);
json ConfirmSignUp(api::Context& ctx, const json& in);
json ResendConfirmationCode(api::Context& ctx, const json& in);
json AdminConfirmSignUp(api::Context& ctx, const json& in);

// admin_users.cc
json AdminCreateUser(api::Context& ctx, const json& in);
json AdminGetUser(api::Context& ctx, const json& in);
json AdminDeleteUser(api::Context& ctx, const json& in);
json AdminSetUserPassword(api::Context& ctx, const json& in);
json AdminDisableUser(api::Context& ctx, const json& in);
json AdminEnableUser(api::Context& ctx, const json& in);

// self_service.cc (access-token calls)
json GetUser(api::Context& ctx, const json& in);
json DeleteUser(api::Context& ctx, const json& in);

// auth.cc
json InitiateAuth(api::Context& ctx, const json& in);
json AdminInitiateAuth(api::Context& ctx, const json& in);
json RespondToAuthChallenge(api::Context& ctx, const json& in);
json AdminRespondToAuthChallenge(api::Context& ctx, const json& in);

}  // namespace cogemu::idp
