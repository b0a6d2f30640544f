// Role resolution for GetCredentialsForIdentity: which IAM role an identity gets, from the
// pool's Roles and the RoleMapping of the provider it signed in with. Pure: no store, no context.
//
//   Unauthenticated: Roles.unauthenticated.
//   Authenticated, no mapping: Roles.authenticated.
//   Type Token: CustomRoleArn if it is one of the token's cognito:roles (else denied), then
//     cognito:preferred_role, then AmbiguousRoleResolution.
//   Type Rules: the rules in order, the first match wins (Equals, Contains, StartsWith,
//     NotEqual; a rule on a claim the token lacks never matches), then AmbiguousRoleResolution.
//   AmbiguousRoleResolution: AuthenticatedRole -> Roles.authenticated; Deny -> denied.
// A claim holding a list (cognito:groups) matches when one of its elements does (NotEqual: when
// none equals the value); numbers and booleans compare as their JSON text.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace cogemu::identity::rules {

enum class RoleOutcome {
  kRole,             // role_arn holds the role
  kNoRole,           // the role the rules lead to is not configured
  kAmbiguousDenied,  // AmbiguousRoleResolution Deny
  kCustomRoleDenied  // CustomRoleArn not among the token's cognito:roles
};

struct RoleResult {
  RoleOutcome outcome;
  std::string role_arn;
};

// `roles`: {"authenticated"?, "unauthenticated"?}; `mapping`: the provider's RoleMapping or
// nullptr; `claims`: the login token's claims.
RoleResult ResolveRole(const nlohmann::json& roles, bool authenticated, const nlohmann::json* mapping,
                       const nlohmann::json& claims, const std::optional<std::string>& custom_role_arn);

// One rule's match (exposed for tests).
bool RuleMatches(const nlohmann::json& rule, const nlohmann::json& claims);

}  // namespace cogemu::identity::rules
