// The API surface in one table. A modeled operation missing here answers NotImplementedException.
#include "emulator/api/operation.h"
#include "emulator/idp/pools.h"

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
  };
  return kTable;
}

}  // namespace cogemu::api
