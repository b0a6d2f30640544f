// Handlers of the cognito-identity API (see api/operations.cc for the table).
#pragma once

#include <nlohmann/json.hpp>

#include "emulator/api/context.h"

namespace cogemu::identity {

using json = nlohmann::json;

// identity_pools.cc: pools, tags, roles and principal-tag maps
json CreateIdentityPool(api::Context& ctx, const json& in);
json DescribeIdentityPool(api::Context& ctx, const json& in);
json UpdateIdentityPool(api::Context& ctx, const json& in);
json DeleteIdentityPool(api::Context& ctx, const json& in);
json ListIdentityPools(api::Context& ctx, const json& in);
json TagResource(api::Context& ctx, const json& in);
json UntagResource(api::Context& ctx, const json& in);
json ListTagsForResource(api::Context& ctx, const json& in);
json SetIdentityPoolRoles(api::Context& ctx, const json& in);
json GetIdentityPoolRoles(api::Context& ctx, const json& in);
json SetPrincipalTagAttributeMap(api::Context& ctx, const json& in);
json GetPrincipalTagAttributeMap(api::Context& ctx, const json& in);

// identities.cc: the identity flows
json GetId(api::Context& ctx, const json& in);
json GetCredentialsForIdentity(api::Context& ctx, const json& in);
json GetOpenIdToken(api::Context& ctx, const json& in);
json UnlinkIdentity(api::Context& ctx, const json& in);
json DescribeIdentity(api::Context& ctx, const json& in);
json ListIdentities(api::Context& ctx, const json& in);
json DeleteIdentities(api::Context& ctx, const json& in);

// developer.cc: developer-authenticated identities
json GetOpenIdTokenForDeveloperIdentity(api::Context& ctx, const json& in);
json LookupDeveloperIdentity(api::Context& ctx, const json& in);
json MergeDeveloperIdentities(api::Context& ctx, const json& in);
json UnlinkDeveloperIdentity(api::Context& ctx, const json& in);

}  // namespace cogemu::identity
