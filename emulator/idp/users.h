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
//    "Srp": {"salt": 16 random bytes hex, "verifier": hex of SRP's v = g^x mod N,
//            x = H(salt | H(poolName | username | ":" | password))} (crypto/srp.h),
//    "TemporaryPasswordExpires": epoch s (FORCE_CHANGE_PASSWORD only),
//    "Codes": {"<purpose>": {"code", "expires", "attribute"?, "failures"?}},  // sent codes
//    "ConfirmSignUpAttempts" | "ForgotPasswordRequests" | "ResendConfirmationCodeRequests" |
//    "VerificationCodeRequests" | "VerifyAttributeAttempts" | "ChangePasswordAttempts":
//        [epoch s, ...]  // the last hour's attempts, counted by CountHourlyAttempt (common.h)
//    "PendingAttributes": {name: value},  // email / phone_number changes awaiting verification
//    "Lockout": {"failures", "last_failure", "locked_until"},  // wrong passwords and SRP proofs
//    "Mfa": the user's MFA factors (layout in idp/mfa.h),
//    "DeviceGroupKey": the user's device group (idp/devices.h; set by the first new device),
//    "TokensRevokedAt" / "TokensRevokedAtMs": epoch s / ms of the last global sign-out (idp/tokens.h)}
// username_key is the username as given, lower-cased when the pool is case-insensitive.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/api/context.h"
#include "emulator/idp/rules/user_filter.h"

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

// A new user's record (not stored yet): `name` is the username asked for, replaced by `sub` when
// the pool signs in with email / phone as username; `attributes` gain "sub"; enabled, created now.
UserRef NewUser(const api::Context& ctx, const json& pool, const std::string& name, json attributes,
                const std::string& sub);

// Sets a new password on `record` (whose "Username" is final): the PBKDF2 hash (with the
// configured rounds) for password sign-in and the SRP salt and verifier, derived outside the
// write lock (Context::Slow). Never stores the password.
void SetPassword(api::Context& ctx, const json& pool, json& record, std::string_view password);

// Records written before verifiers were stored hold "Srp": {"salt", "inner"} (the SHA-256 of
// pool name, username and password that x hashes): SrpFromLegacyInner derives {"salt",
// "verifier"} from it (nullopt if malformed), and MigrateLegacySrp rewrites every such user of
// a data directory at start-up, returning how many.
std::optional<json> SrpFromLegacyInner(const json& srp);
size_t MigrateLegacySrp(store::Env& env);

// [{"Name":..., "Value":...}] with sub first; `readable` filters by a client's ReadAttributes.
json AttributeList(const json& record, const json* readable = nullptr);
// UserType as AdminCreateUser and ListUsers return it.
json UserType(const json& record);

// ---- ListUsers search ---------------------------------------------------------------------------
// Filters read indexes, never every user: username filters read kUsers (keyed by username_key),
// sub filters kUserSubs, and the other searchable attributes the search index
//   kUserSearch (pool_id, attribute, value, username_key) -> username_key
// kept by PutUser / DeleteUser / DeletePoolUsers beside the other indexes, one entry per
// attribute the user has among email, phone_number, name, given_name, family_name,
// preferred_username, plus cognito:user_status and status for every user. Values are compared in
// a normalised form: username by the pool's case rule (UserKey), cognito:user_status and the six
// standard attributes without letter case, status ("Enabled" / "Disabled") and sub exactly.
// Decision (AWS's sources disagree): the API reference marks only username and status
// case-sensitive and cognito:user_status case-insensitive; the developer guide calls searches
// case-insensitive, and emulators that checked against Cognito (ministack #1465) match email
// case-insensitively, so the unmarked standard attributes are matched without letter case.
// Index values keep their first kSearchValueBytes bytes; longer values are told apart by
// comparing the record itself.
inline constexpr size_t kSearchValueBytes = 160;

// Visits the users `filter` matches (every user when nullopt) in ListUsers order: by the filtered
// attribute's normalised value, then by username_key; by username_key without a filter.
// `position` identifies a visited user's place in that order; passing it back as `after` resumes
// strictly after it, so positions stay valid while users are added or removed. `visit` returns
// false to stop.
using UserSearchVisitor = std::function<bool(std::string_view position, const json& record)>;
void SearchUsers(const store::Txn& txn, const json& pool, const std::optional<rules::UserFilter>& filter,
                 const std::optional<std::string>& after, const UserSearchVisitor& visit);

// Data directories written before kUserSearch existed have users but no search entries (every
// user has at least its status entries). When that is so, writes the entries of every user in
// `txn` and returns how many users it indexed; otherwise returns 0 without writing.
size_t BackfillSearchIndex(store::Txn& txn);

}  // namespace cogemu::idp
