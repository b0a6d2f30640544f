// The API surface in one table. A modeled operation missing here answers NotImplementedException.
#include "emulator/api/operation.h"
#include "emulator/idp/devices.h"
#include "emulator/idp/groups.h"
#include "emulator/idp/mfa.h"
#include "emulator/idp/handlers.h"
#include "emulator/idp/pools.h"
#include "emulator/identity/handlers.h"

namespace cogemu::api {

const std::vector<OperationRow>& OperationTable() {
  static const std::vector<OperationRow> kTable = {
      // cognito-idp: user pools
      {"cognito-idp", "CreateUserPool", idp::CreateUserPool, Access::kWrite},
      {"cognito-idp", "DescribeUserPool", idp::DescribeUserPool, Access::kRead},
      {"cognito-idp", "UpdateUserPool", idp::UpdateUserPool, Access::kWrite},
      {"cognito-idp", "DeleteUserPool", idp::DeleteUserPool, Access::kWrite},
      {"cognito-idp", "ListUserPools", idp::ListUserPools, Access::kRead},
      {"cognito-idp", "AddCustomAttributes", idp::AddCustomAttributes, Access::kWrite},
      {"cognito-idp", "TagResource", idp::TagResource, Access::kWrite},
      {"cognito-idp", "UntagResource", idp::UntagResource, Access::kWrite},
      {"cognito-idp", "ListTagsForResource", idp::ListTagsForResource, Access::kRead},
      {"cognito-idp", "GetUserPoolMfaConfig", idp::GetUserPoolMfaConfig, Access::kRead},
      {"cognito-idp", "SetUserPoolMfaConfig", idp::SetUserPoolMfaConfig, Access::kWrite},
      // cognito-idp: app clients
      {"cognito-idp", "CreateUserPoolClient", idp::CreateUserPoolClient, Access::kWrite},
      {"cognito-idp", "DescribeUserPoolClient", idp::DescribeUserPoolClient, Access::kRead},
      {"cognito-idp", "UpdateUserPoolClient", idp::UpdateUserPoolClient, Access::kWrite},
      {"cognito-idp", "DeleteUserPoolClient", idp::DeleteUserPoolClient, Access::kWrite},
      {"cognito-idp", "ListUserPoolClients", idp::ListUserPoolClients, Access::kRead},
      // cognito-idp: sign-up
      {"cognito-idp", "SignUp", idp::SignUp, Access::kSlowWrite},
      {"cognito-idp", "ConfirmSignUp", idp::ConfirmSignUp, Access::kWrite},
      {"cognito-idp", "ResendConfirmationCode", idp::ResendConfirmationCode, Access::kWrite},
      {"cognito-idp", "AdminConfirmSignUp", idp::AdminConfirmSignUp, Access::kWrite},
      // cognito-idp: users (admin)
      {"cognito-idp", "AdminCreateUser", idp::AdminCreateUser, Access::kSlowWrite},
      {"cognito-idp", "AdminGetUser", idp::AdminGetUser, Access::kRead},
      {"cognito-idp", "AdminDeleteUser", idp::AdminDeleteUser, Access::kWrite},
      {"cognito-idp", "AdminSetUserPassword", idp::AdminSetUserPassword, Access::kSlowWrite},
      {"cognito-idp", "AdminDisableUser", idp::AdminDisableUser, Access::kWrite},
      {"cognito-idp", "AdminEnableUser", idp::AdminEnableUser, Access::kWrite},
      // cognito-idp: the signed-in user
      {"cognito-idp", "GetUser", idp::GetUser, Access::kRead},
      {"cognito-idp", "DeleteUser", idp::DeleteUser, Access::kWrite},
      // cognito-idp: password recovery
      {"cognito-idp", "ForgotPassword", idp::ForgotPassword, Access::kWrite},
      {"cognito-idp", "ConfirmForgotPassword", idp::ConfirmForgotPassword, Access::kSlowWrite},
      {"cognito-idp", "AdminResetUserPassword", idp::AdminResetUserPassword, Access::kWrite},
      {"cognito-idp", "ChangePassword", idp::ChangePassword, Access::kSlowWrite},
      // cognito-idp: sign-out and revocation
      {"cognito-idp", "GlobalSignOut", idp::GlobalSignOut, Access::kWrite},
      {"cognito-idp", "AdminUserGlobalSignOut", idp::AdminUserGlobalSignOut, Access::kWrite},
      {"cognito-idp", "RevokeToken", idp::RevokeToken, Access::kWrite},
      // cognito-idp: auth events (none are recorded; feedback is accepted)
      {"cognito-idp", "AdminListUserAuthEvents", idp::AdminListUserAuthEvents, Access::kRead},
      {"cognito-idp", "AdminUpdateAuthEventFeedback", idp::AdminUpdateAuthEventFeedback, Access::kRead},
      {"cognito-idp", "UpdateAuthEventFeedback", idp::UpdateAuthEventFeedback, Access::kRead},
      // cognito-idp: sign-in
      {"cognito-idp", "InitiateAuth", idp::InitiateAuth, Access::kSlowWrite},
      {"cognito-idp", "AdminInitiateAuth", idp::AdminInitiateAuth, Access::kSlowWrite},
      {"cognito-idp", "RespondToAuthChallenge", idp::RespondToAuthChallenge, Access::kSlowWrite},
      {"cognito-idp", "AdminRespondToAuthChallenge", idp::AdminRespondToAuthChallenge, Access::kSlowWrite},
      {"cognito-idp", "GetTokensFromRefreshToken", idp::GetTokensFromRefreshToken, Access::kWrite},
      // cognito-idp: MFA
      {"cognito-idp", "AssociateSoftwareToken", idp::AssociateSoftwareToken, Access::kWrite},
      {"cognito-idp", "VerifySoftwareToken", idp::VerifySoftwareToken, Access::kWrite},
      {"cognito-idp", "SetUserMFAPreference", idp::SetUserMFAPreference, Access::kWrite},
      {"cognito-idp", "AdminSetUserMFAPreference", idp::AdminSetUserMFAPreference, Access::kWrite},
      {"cognito-idp", "SetUserSettings", idp::SetUserSettings, Access::kWrite},
      {"cognito-idp", "AdminSetUserSettings", idp::AdminSetUserSettings, Access::kWrite},
      {"cognito-idp", "GetUserAuthFactors", idp::GetUserAuthFactors, Access::kRead},
      {"cognito-idp", "AdminGetUserAuthFactors", idp::AdminGetUserAuthFactors, Access::kRead},
      // cognito-idp: devices
      {"cognito-idp", "ConfirmDevice", idp::ConfirmDevice, Access::kWrite},
      {"cognito-idp", "GetDevice", idp::GetDevice, Access::kRead},
      {"cognito-idp", "ListDevices", idp::ListDevices, Access::kRead},
      {"cognito-idp", "ForgetDevice", idp::ForgetDevice, Access::kWrite},
      {"cognito-idp", "UpdateDeviceStatus", idp::UpdateDeviceStatus, Access::kWrite},
      {"cognito-idp", "AdminGetDevice", idp::AdminGetDevice, Access::kRead},
      {"cognito-idp", "AdminListDevices", idp::AdminListDevices, Access::kRead},
      {"cognito-idp", "AdminForgetDevice", idp::AdminForgetDevice, Access::kWrite},
      {"cognito-idp", "AdminUpdateDeviceStatus", idp::AdminUpdateDeviceStatus, Access::kWrite},
      // cognito-idp: user attributes
      {"cognito-idp", "UpdateUserAttributes", idp::UpdateUserAttributes, Access::kWrite},
      {"cognito-idp", "AdminUpdateUserAttributes", idp::AdminUpdateUserAttributes, Access::kWrite},
      {"cognito-idp", "DeleteUserAttributes", idp::DeleteUserAttributes, Access::kWrite},
      {"cognito-idp", "AdminDeleteUserAttributes", idp::AdminDeleteUserAttributes, Access::kWrite},
      {"cognito-idp", "GetUserAttributeVerificationCode", idp::GetUserAttributeVerificationCode, Access::kWrite},
      {"cognito-idp", "VerifyUserAttribute", idp::VerifyUserAttribute, Access::kWrite},
      // cognito-idp: groups
      {"cognito-idp", "CreateGroup", idp::CreateGroup, Access::kWrite},
      {"cognito-idp", "GetGroup", idp::GetGroup, Access::kRead},
      {"cognito-idp", "UpdateGroup", idp::UpdateGroup, Access::kWrite},
      {"cognito-idp", "DeleteGroup", idp::DeleteGroup, Access::kWrite},
      {"cognito-idp", "ListGroups", idp::ListGroups, Access::kRead},
      {"cognito-idp", "AdminAddUserToGroup", idp::AdminAddUserToGroup, Access::kWrite},
      {"cognito-idp", "AdminRemoveUserFromGroup", idp::AdminRemoveUserFromGroup, Access::kWrite},
      {"cognito-idp", "AdminListGroupsForUser", idp::AdminListGroupsForUser, Access::kRead},
      {"cognito-idp", "ListUsersInGroup", idp::ListUsersInGroup, Access::kRead},
      // cognito-idp: ListUsers
      {"cognito-idp", "ListUsers", idp::ListUsers, Access::kRead},
      // cognito-identity: identity pools, tags, roles, principal-tag maps
      {"cognito-identity", "CreateIdentityPool", identity::CreateIdentityPool, Access::kWrite},
      {"cognito-identity", "DescribeIdentityPool", identity::DescribeIdentityPool, Access::kRead},
      {"cognito-identity", "UpdateIdentityPool", identity::UpdateIdentityPool, Access::kWrite},
      {"cognito-identity", "DeleteIdentityPool", identity::DeleteIdentityPool, Access::kWrite},
      {"cognito-identity", "ListIdentityPools", identity::ListIdentityPools, Access::kRead},
      {"cognito-identity", "TagResource", identity::TagResource, Access::kWrite},
      {"cognito-identity", "UntagResource", identity::UntagResource, Access::kWrite},
      {"cognito-identity", "ListTagsForResource", identity::ListTagsForResource, Access::kRead},
      {"cognito-identity", "SetIdentityPoolRoles", identity::SetIdentityPoolRoles, Access::kWrite},
      {"cognito-identity", "GetIdentityPoolRoles", identity::GetIdentityPoolRoles, Access::kRead},
      {"cognito-identity", "SetPrincipalTagAttributeMap", identity::SetPrincipalTagAttributeMap, Access::kWrite},
      {"cognito-identity", "GetPrincipalTagAttributeMap", identity::GetPrincipalTagAttributeMap, Access::kRead},
      // cognito-identity: identities and credentials
      {"cognito-identity", "GetId", identity::GetId, Access::kWrite},
      {"cognito-identity", "GetCredentialsForIdentity", identity::GetCredentialsForIdentity, Access::kWrite},
      {"cognito-identity", "GetOpenIdToken", identity::GetOpenIdToken, Access::kWrite},
      {"cognito-identity", "UnlinkIdentity", identity::UnlinkIdentity, Access::kWrite},
      {"cognito-identity", "DescribeIdentity", identity::DescribeIdentity, Access::kRead},
      {"cognito-identity", "ListIdentities", identity::ListIdentities, Access::kRead},
      {"cognito-identity", "DeleteIdentities", identity::DeleteIdentities, Access::kWrite},
      // cognito-identity: developer-authenticated identities
      {"cognito-identity", "GetOpenIdTokenForDeveloperIdentity", identity::GetOpenIdTokenForDeveloperIdentity,
       Access::kWrite},
      {"cognito-identity", "LookupDeveloperIdentity", identity::LookupDeveloperIdentity, Access::kRead},
      {"cognito-identity", "MergeDeveloperIdentities", identity::MergeDeveloperIdentities, Access::kWrite},
      {"cognito-identity", "UnlinkDeveloperIdentity", identity::UnlinkDeveloperIdentity, Access::kWrite},
  };
  return kTable;
}

}  // namespace cogemu::api
