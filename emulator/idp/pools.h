// User pools and app clients: the records, how they are keyed, and the handlers of the
// pool-level and client-level API.
//
// Pool record (store::Table::kUserPools, key (pool_id)):
//   {"pool": <UserPoolType as DescribeUserPool returns it, less EstimatedNumberOfUsers>,
//    "mfa":  {"SmsMfaConfiguration"?, "SoftwareTokenMfaConfiguration"?, "EmailMfaConfiguration"?,
//             "WebAuthnConfiguration"?}}
// Client record (store::Table::kClients, key (client_id)): <UserPoolClientType>, plus the index
//   kPoolClients (pool_id, client_id) -> "".
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/api/context.h"

namespace cogemu::idp {

using json = nlohmann::json;

// A stored pool record ({"pool": UserPoolType, "mfa": ...}) shared with the thread's cache
// (store/decoded_cache.h) rather than copied: keep it while using what it refers to.
class SharedPool {
 public:
  explicit SharedPool(std::shared_ptr<const json> record) : record_(std::move(record)) {}
  const json& record() const { return *record_; }
  const json& pool() const { return (*record_)["pool"]; }
  const json& operator[](const char* part) const { return (*record_)[part]; }
  operator const json&() const { return *record_; }  // NOLINT(runtime/explicit): copies where a json is wanted

 private:
  std::shared_ptr<const json> record_;
};

// Loads a pool record, or throws ResourceNotFoundException "User pool <id> does not exist.".
SharedPool RequirePool(const api::Context& ctx, const std::string& pool_id);
// The stored pool record, shared with this thread's cache (null when there is none).
std::shared_ptr<const json> FindPool(const store::Txn& txn, const std::string& pool_id);
void SavePool(api::Context& ctx, const json& record);

// Loads a client, or throws ResourceNotFoundException "User pool client <id> does not exist.".
json RequireClient(const api::Context& ctx, const std::string& client_id);
// The stored client, shared with this thread's cache (null when there is none).
std::shared_ptr<const json> FindClient(const store::Txn& txn, const std::string& client_id);

std::string PoolArn(const api::Context& ctx, const std::string& pool_id);

// Handlers (see api/operations.cc).
json CreateUserPool(api::Context& ctx, const json& in);
json DescribeUserPool(api::Context& ctx, const json& in);
json UpdateUserPool(api::Context& ctx, const json& in);
json DeleteUserPool(api::Context& ctx, const json& in);
json ListUserPools(api::Context& ctx, const json& in);
json AddCustomAttributes(api::Context& ctx, const json& in);
json TagResource(api::Context& ctx, const json& in);
json UntagResource(api::Context& ctx, const json& in);
json ListTagsForResource(api::Context& ctx, const json& in);
json GetUserPoolMfaConfig(api::Context& ctx, const json& in);
json SetUserPoolMfaConfig(api::Context& ctx, const json& in);

json CreateUserPoolClient(api::Context& ctx, const json& in);
json DescribeUserPoolClient(api::Context& ctx, const json& in);
json UpdateUserPoolClient(api::Context& ctx, const json& in);
json DeleteUserPoolClient(api::Context& ctx, const json& in);
json ListUserPoolClients(api::Context& ctx, const json& in);

}  // namespace cogemu::idp
