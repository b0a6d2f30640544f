// Identity pools (cognito-identity): the records, how they are keyed, and what every part of the
// service shares (lookups, identity IDs, the login index).
//
// Identity pool record (store::Table::kIdentityPools, key (identity_pool_id)):
//   {"pool": <IdentityPool as DescribeIdentityPool returns it>,
//    "Roles": {"authenticated"?: arn, "unauthenticated"?: arn},
//    "RoleMappings": {<provider key>: <RoleMapping>},
//    "PrincipalTags": {<provider name>: {"UseDefaults": bool, "PrincipalTags": {tag: claim}}}}
// Identity record (store::Table::kIdentities, key (identity_id)):
//   {"IdentityId", "IdentityPoolId", "Logins": {<provider>: [subject, ...]},
//    "CreationDate", "LastModifiedDate" (epoch s), "MergedInto"?: identity id}
//   Logins hold one subject per provider, except the pool's developer provider, which gathers
//   several after MergeDeveloperIdentities. An identity with no logins is unauthenticated; one
//   with "MergedInto" was merged into another and is disabled.
// Indexes, kept with the record in the same transaction:
//   kPoolIdentities (identity_pool_id, identity_id) -> ""
//   kIdentityLogins (identity_pool_id, provider, subject) -> identity_id   (a login has one owner)
// Issued credentials (kIssuedCredentials, key (identity_id, sequence)): {"AccessKeyId",
//   "IdentityId", "IdentityPoolId", "RoleArn", "Expiration", "Authenticated", "Logins": [provider],
//   "IssuedAt", "PrincipalTags"? (tag -> claim value, from the principal-tag maps)} — never the
//   secret key; read back through GET /_emulator/identity/credentials.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "emulator/api/context.h"

namespace cogemu::identity {

using json = nlohmann::json;

// The issuer of the OpenID tokens identity pools sign, and the Logins key they are presented
// under (developer-authenticated identities).
inline constexpr const char* kIdentityIssuer = "https://cognito-identity.amazonaws.com";
inline constexpr const char* kIdentityLoginKey = "cognito-identity.amazonaws.com";

std::optional<json> FindIdentityPool(const store::Txn& txn, const std::string& pool_id);
// ResourceNotFoundException "IdentityPool '<id>' not found." when unknown.
json RequireIdentityPool(const api::Context& ctx, const std::string& pool_id);
void SaveIdentityPool(api::Context& ctx, const json& record);
std::string IdentityPoolArn(const api::Context& ctx, const std::string& pool_id);
ApiError IdentityPoolNotFound(const std::string& pool_id);

// "<region>:<lowercase uuid v4>" from ctx.random, the region being `region_of`'s prefix.
std::string NewRegionalId(api::Context& ctx, const std::string& region);
std::string RegionOf(const std::string& regional_id);

std::optional<json> FindIdentity(const store::Txn& txn, const std::string& identity_id);
// The identity that owns a login, if any.
std::optional<std::string> LoginOwner(const store::Txn& txn, const std::string& pool_id,
                                      const std::string& provider, const std::string& subject);
// A new, unauthenticated identity of the pool (written).
json CreateIdentity(api::Context& ctx, const std::string& pool_id);
// Writes `identity` and brings the login index in line with it; `previous` is the stored record
// before this change (nullptr when new).
void PutIdentity(api::Context& ctx, json& identity, const json* previous);
void DeleteIdentityRecord(api::Context& ctx, const json& identity);
// Every identity of a pool, its indexes and issued credentials (DeleteIdentityPool).
void DeletePoolIdentities(api::Context& ctx, const std::string& pool_id);

bool IsAuthenticated(const json& identity);
bool IsMerged(const json& identity);
// The provider names of an identity's logins, sorted.
json LoginProviders(const json& identity);

}  // namespace cogemu::identity
