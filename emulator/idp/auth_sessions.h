// Auth-challenge sessions: what a sign-in has proved so far, kept between InitiateAuth and the
// answer to its last challenge. Each is single use, issued to one app client for one user and
// that user's current password, and lives for the client's AuthSessionValidity minutes.
//
// A session is named by 64 random bytes R: the `Session` string clients pass back is
// base64url(R); an SRP challenge's SECRET_BLOCK is base64(R), so either names the same record.
// Record (store::Table::kSessions, key (SHA-256(R))):
//   {"Challenge": the ChallengeName it answers, "PoolId", "ClientId", "UserKey": username_key ("" for a
//    simulated sign-in of an unknown user), "Sub", "PasswordStamp": the salt of the password hash
//    the user had when the sign-in began, "Expires": epoch s, "Used": bool, "State": flow state
//    (idp/sign_in.h)}
// and an expiry index kSessionExpiry (expires as 8-byte big-endian, SHA-256(R)) -> ""
// by which expired sessions are swept, a few at a time, whenever a new one is opened. Used
// sessions stay until they expire so that a replay is told it came too late. Sessions are not
// keyed by pool: AssociateSoftwareToken and VerifySoftwareToken name one by its Session alone.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/api/context.h"
#include "emulator/idp/users.h"

namespace cogemu::idp {

using json = nlohmann::json;

struct ChallengeSession {
  std::string challenge;
  std::string pool_id;
  std::string client_id;
  std::string user_key;  // empty: a simulated sign-in (PreventUserExistenceErrors)
  std::string sub;
  std::string password_stamp;
  int64_t expires = 0;
  json state = json::object();
};

struct OpenedSession {
  std::string session;       // base64url: the response's Session
  std::string secret_block;  // base64 of the same bytes: an SRP challenge's SECRET_BLOCK
};

// What ties a session to the password a user had when it began (changes with every new password).
std::string PasswordStamp(const json& user_record);

// A session for `user` (nullptr: simulated) through `client`, expiring after the client's
// AuthSessionValidity; `state` is stored as given.
OpenedSession OpenSession(api::Context& ctx, const json& pool, const json& client, const UserRef* user,
                          const std::string& challenge, json state);

struct LiveSession {
  std::string key;
  ChallengeSession session;
  std::shared_ptr<const json> pool_record;  // the session's pool (shared with the thread's cache)
  std::shared_ptr<const json> app_client;   // its app client (likewise)
  std::optional<UserRef> user;              // nullopt for a simulated sign-in

  const json& pool() const { return (*pool_record)["pool"]; }  // UserPoolType
  const json& client() const { return *app_client; }
};

// How the caller named the session: by the Session string or by an SRP SECRET_BLOCK.
enum class SessionName { kSession, kSecretBlock };

// The live session `text` names, for `challenge` through `client`, with its user. Throws
// NotAuthorizedException: "Invalid session for the user." (unknown, another client or
// challenge, or the user deleted, re-created or given a new password since), "... session is
// expired." and "... session can only be used once.". Does not consume it.
LiveSession RequireSession(api::Context& ctx, const json& pool, const json& client, const std::string& text,
                           SessionName name, const std::string& challenge);

// The same for a caller that knows no pool or client (AssociateSoftwareToken and
// VerifySoftwareToken): the session's own, which must still exist.
LiveSession RequireSession(api::Context& ctx, const std::string& text, SessionName name, const std::string& challenge);

// Turns the live session named `text` into the session of the next challenge, under the same
// name (amazon-cognito-identity-js answers DEVICE_SRP_AUTH with the session it sent its MFA
// code with). Returns `text` as the Session.
OpenedSession ContinueSession(api::Context& ctx, const LiveSession& live, const std::string& text,
                              const std::string& challenge, json state);

// Marks the session used; a later presentation is refused.
void ConsumeSession(api::Context& ctx, const LiveSession& live);
// Writes the session's (changed) state back, keeping it usable (e.g. after a wrong MFA code).
void SaveSession(api::Context& ctx, const LiveSession& live);

}  // namespace cogemu::idp
