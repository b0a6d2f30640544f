// Pieces the user-facing handlers share: resolving an app client and its pool, SECRET_HASH,
// one-time codes and their delivery.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/api/context.h"
#include "emulator/idp/users.h"

namespace cogemu::idp {

using json = nlohmann::json;

struct ClientAndPool {
  json client;
  json pool;  // the UserPoolType part of the record
};
// ResourceNotFoundException "User pool client <id> does not exist." when unknown.
ClientAndPool RequireClientAndPool(const api::Context& ctx, const std::string& client_id);

// For clients with a secret: SECRET_HASH must be present and equal
// Base64(HMAC-SHA256(secret, username + clientId)). Any of `usernames` may be the one hashed
// (clients hash the name they typed, an alias, or the canonical username).
void CheckSecretHash(const json& client, const std::optional<std::string>& secret_hash,
                     std::initializer_list<std::string_view> usernames);

// PreventUserExistenceErrors=ENABLED on the client.
bool HidesUserExistence(const json& client);

// One-time codes kept in the user record under Codes.<purpose>.
std::string NewCode(Random& random);
void SetCode(json& record, const std::string& purpose, const std::string& code, int64_t expires,
             const std::string& attribute = "");
// Throws CodeMismatchException / ExpiredCodeException with AWS's messages; on success removes
// the code and returns its entry. A wrong code is counted on its entry (the caller writes and
// commits the record even when this throws); with `max_failures` > 0, a code guessed wrong that
// many times is spent: every later attempt, right or wrong, is LimitExceededException "Attempt
// limit exceeded, please try after some time." until a new code is sent.
json ConsumeCode(json& record, const std::string& purpose, const std::string& code, int64_t now,
                 int max_failures = 0);

// Where a code for `record` goes: the pool's auto-verified attribute the user has (phone first,
// then email), or nullopt. Returns {"AttributeName", "DeliveryMedium", "Destination"(masked)}
// and the raw destination.
struct Delivery {
  std::string attribute;
  std::string medium;
  std::string destination;
  json details;  // CodeDeliveryDetails
};
std::optional<Delivery> AutoVerifyDelivery(const json& pool, const json& record);
Delivery DeliveryTo(const std::string& attribute, const std::string& destination);

// Draws a fresh code for `purpose`, keeps it on the user record (valid `lifetime_seconds` by the
// emulator clock) and "sends" it through the outbox with `reason`. The caller writes the record.
void SendCode(api::Context& ctx, const json& pool, UserRef& user, const Delivery& delivery,
              const std::string& purpose, int64_t lifetime_seconds, const std::string& reason);

// AWS's per-user code security quotas (ChangePassword, GetUserAttributeVerificationCode,
// VerifyUserAttribute, ...): counts one attempt under record[key] (epoch seconds of the attempts
// of the last hour) and throws LimitExceededException "Attempt limit exceeded, please try after
// some time." when `per_hour` attempts were already made in the last hour by the emulator clock.
// The caller writes the record (and commits it when the attempt then fails).
// `error` replaces LimitExceededException where an operation declares another (ConfirmSignUp's
// TooManyFailedAttemptsException).
void CountHourlyAttempt(json& record, const std::string& key, int per_hour, int64_t now,
                        const ApiError* error = nullptr);

// ForceAliasCreation: `attribute` (email / phone_number) of `user` is about to become a verified
// alias; another user holding the same value as their alias keeps it, unverified (and so loses
// the alias). `user` itself is not written.
void TakeAliasFromOthers(api::Context& ctx, const json& pool, const UserRef& user, const std::string& attribute);

}  // namespace cogemu::idp
