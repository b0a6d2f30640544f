// Users of a user pool: the record, how it is found (by username, alias or sub), and its
// indexes, derived from the record in one function (IndexEntries) and kept in the same
// transaction.
//
// User record (store::Table::kUsers, key (pool_id, username_key)):
//   {"Username": canonical username (the sub when the pool uses UsernameAttributes),
//    "Attributes": {name: string value, ...}   // always holds "sub"
//    "UserStatus": "UNCONFIRMED" | "CONFIRMED" | "FORCE_CHANGE_PASSWORD" | "RESET_REQUIRED" | ...,
//    "Enabled": bool, "UserCreateDate": epoch s, "UserLastModifiedDate": epoch s,
//    "Password": crypto::PasswordHash JSON (PBKDF2; never the password) | absent,
//    "Srp": {"salt": 16 random bytes hex, "inner": base64 SHA-256(poolName | username | ":" |
//            password)} — the input of SRP's x = H(salt | inner), from which the verifier
//            v = g^x mod N is derived when USER_SRP_AUTH first needs it (a 3072-bit modexp
//            costs ~0.6 ms, too much to pay on every password set),
//    "TemporaryPasswordExpires": epoch s (FORCE_CHANGE_PASSWORD only),
//    "Codes": {"<purpose>": {"code", "expires", "attribute"?}},  // confirmation codes
//    "PendingAttributes": {name: value},  // email / phone_number changes awaiting verification
//    "Lockout": {"failures", "last_failure", "locked_until"}}
// username_key is the username as given, lower-cased when the pool is case-insensitive.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/api/context.h"

namespace cogemu::idp {

using json = nlohmann::json;

struct UserRef {
  std::string key;  // username_key
  json record;
};

bool PoolCaseSensitive(const json& pool);
bool PoolUsesUsernameAttributes(const json& pool);
std::string UserKey(const json& pool, std::string_view username);

// Exact username (no aliases).
std::optional<UserRef> FindUserByUsername(const store::Txn& txn, const json& pool, std::string_view username);
// What sign-in accepts: the username, or an active alias (email / phone_number used as
// username, verified email / phone alias, preferred_username).
std::optional<UserRef> FindUserForSignIn(const store::Txn& txn, const json& pool, std::string_view name);
// What Admin* calls accept: the username, an active alias, or the sub.
std::optional<UserRef> FindUserByAny(const store::Txn& txn, const json& pool, std::string_view name);
std::optional<UserRef> FindUserBySub(const store::Txn& txn, const std::string& pool_id, std::string_view sub);
// Throws UserNotFoundException "User does not exist." when absent.
UserRef RequireUserByAny(const api::Context& ctx, const json& pool, std::string_view name);

// Writes `user` and brings its indexes in line, `previous` being the stored record before this
// change (nullptr when creating). A taken unique index throws UsernameExistsException (username,
// or email/phone used as username) or AliasExistsException (verified alias).
void PutUser(api::Context& ctx, const json& pool, const UserRef& user, const json* previous);
void DeleteUser(api::Context& ctx, const json& pool, const UserRef& user);
// Removes every user of a pool and its indexes (DeleteUserPool).
void DeletePoolUsers(api::Context& ctx, const std::string& pool_id);
uint64_t CountUsers(const store::Txn& txn, const std::string& pool_id);

// Sets a new password on `record` (whose "Username" is final): the PBKDF2 hash for password
// sign-in and the SRP input (see the record layout above). Never stores the password.
void SetPassword(api::Context& ctx, const json& pool, json& record, std::string_view password);

// [{"Name":..., "Value":...}] with sub first; `readable` filters by a client's ReadAttributes.
json AttributeList(const json& record, const json* readable = nullptr);
// UserType as AdminCreateUser and ListUsers return it.
json UserType(const json& record);

}  // namespace cogemu::idp
