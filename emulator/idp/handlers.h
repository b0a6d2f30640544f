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
json GetTokensFromRefreshToken(api::Context& ctx, const json& in);

// recovery.cc
json ForgotPassword(api::Context& ctx, const json& in);
json ConfirmForgotPassword(api::Context& ctx, const json& in);
json AdminResetUserPassword(api::Context& ctx, const json& in);
json ChangePassword(api::Context& ctx, const json& in);

// signout.cc
json GlobalSignOut(api::Context& ctx, const json& in);
json AdminUserGlobalSignOut(api::Context& ctx, const json& in);
json RevokeToken(api::Context& ctx, const json& in);

// list_users.cc
json ListUsers(api::Context& ctx, const json& in);

// auth_events.cc
json AdminListUserAuthEvents(api::Context& ctx, const json& in);
json AdminUpdateAuthEventFeedback(api::Context& ctx, const json& in);
json UpdateAuthEventFeedback(api::Context& ctx, const json& in);

// attributes.cc (user attribute updates and verification)
json UpdateUserAttributes(api::Context& ctx, const json& in);
json AdminUpdateUserAttributes(api::Context& ctx, const json& in);
json DeleteUserAttributes(api::Context& ctx, const json& in);
json AdminDeleteUserAttributes(api::Context& ctx, const json& in);
json GetUserAttributeVerificationCode(api::Context& ctx, const json& in);
json VerifyUserAttribute(api::Context& ctx, const json& in);

}  // namespace cogemu::idp
