// The sign-in state machine behind InitiateAuth, AdminInitiateAuth and the challenge answers.
// A first factor (password, SRP, or a one-time code of choice-based sign-in) is proved, then, in
// AWS's order: a new password for FORCE_CHANGE_PASSWORD users, the remembered device's proof
// (first, when it stands in for MFA), MFA (set up, chosen, answered), the device's proof, and
// finally tokens (with NewDeviceMetadata when the pool tracks devices). Every step in between is
// a challenge whose Session (idp/auth_sessions.h) carries the FlowState below.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulator/api/context.h"
#include "emulator/idp/auth_sessions.h"
#include "emulator/idp/users.h"

namespace cogemu::idp {

using json = nlohmann::json;

// What a sign-in has established so far (a challenge session's "State").
struct FlowState {
  std::string username;      // canonical username (USER_ID_FOR_SRP)
  std::string typed;         // the name the client signed in with
  std::string device_key;    // DEVICE_KEY the client presented
  std::string first_factor;  // PASSWORD | PASSWORD_SRP | EMAIL_OTP | SMS_OTP
  bool new_password_done = false;
  bool mfa_done = false;
  bool device_done = false;
  bool fake = false;  // a simulated sign-in of a user who does not exist
  // The pending challenge's data.
  std::string srp_key;  // hex: the SRP session key K the pending proof must be made with
  std::string code;        // the one-time code this challenge accepts
  std::string setup_email;   // MFA_SETUP: the address being set up for e-mail MFA
  std::string totp_secret;   // MFA_SETUP: the software token being associated
  bool totp_verified = false;
  std::vector<std::string> available;  // SELECT_CHALLENGE / SELECT_MFA_TYPE / MFA_SETUP choices

  json ToJson() const;
  static FlowState FromJson(const json& j);
};

// The pool and client a sign-in runs through.
// The records are shared with the thread's cache (store/decoded_cache.h), never copied: the
// references point into what the two pointers keep alive.
struct SignInScope {
  std::shared_ptr<const json> record_owner;
  std::shared_ptr<const json> client_owner;
  const json& pool_record;  // the whole pool record ("pool" and "mfa")
  const json& pool;         // UserPoolType
  const json& client;

  SignInScope(std::shared_ptr<const json> record, std::shared_ptr<const json> app_client)
      : record_owner(std::move(record)),
        client_owner(std::move(app_client)),
        pool_record(*record_owner),
        pool(pool_record["pool"]),
        client(*client_owner) {}
};

// The session an answer came with, which DEVICE_SRP_AUTH may carry on under the same name
// (see ContinueSession).
struct AnsweredSession {
  const LiveSession& live;
  const std::string& text;
};

// Continues a sign-in whose latest factor just succeeded: the next challenge, or tokens.
json ContinueSignIn(api::Context& ctx, const SignInScope& scope, UserRef& user, FlowState state,
                    const AnsweredSession* answered = nullptr);

// The challenge of one code factor: SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA after a first factor,
// or EMAIL_OTP / SMS_OTP as the first factor of choice-based sign-in (state.first_factor empty).
// Sends a fresh code to the outbox where the factor has one.
json FactorChallenge(api::Context& ctx, const SignInScope& scope, UserRef& user, FlowState state,
                     const std::string& factor);

// PASSWORD_VERIFIER for `user`, or a simulated one (user == nullptr, PreventUserExistenceErrors)
// for the name in state.typed. `srp_a_hex` is the client's SRP_A.
json StartSrp(api::Context& ctx, const SignInScope& scope, const UserRef* user, FlowState state,
              const std::string& srp_a_hex);

// The server's half of an SRP exchange with the client's A (`srp_a_hex`) for verifier v: a fresh
// b, B = k·v + g^b, and the session key K the client's proof will be made with (every input of
// K is known once B is drawn, so it is derived now, outside the write lock, and the answer only
// checks an HMAC). Throws InvalidParameterException for an invalid A.
struct SrpServerHalf {
  std::string b_hex;    // B for the challenge's SRP_B
  std::string key_hex;  // K, for FlowState::srp_key ("" when u = 0: no proof can match)
};
SrpServerHalf SrpServerSide(api::Context& ctx, const std::string& srp_a_hex, const std::string& verifier);

// Checks `password` against the user's stored hash, outside the write lock (Context::Slow).
bool PasswordMatches(api::Context& ctx, const json& user_record, const std::string& password);

// Checks an SRP proof (PASSWORD_CLAIM_SIGNATURE) made with the state's key: the signature over
// pool_name, user_id, the secret block's bytes and the timestamp, compared in constant time.
bool SrpProofMatches(const FlowState& state, const std::string& pool_name, const std::string& user_id,
                     const std::string& secret_block, const std::string& timestamp, const std::string& signature_b64);

// The sign-in lockout shared by passwords, SRP proofs and MFA codes: from the 5th consecutive
// failure the user is locked for 2^(n-5) s, up to 15 minutes; the count resets after 15 minutes
// without a failure and after a success.
void CheckNotLocked(const json& user_record, int64_t now);
// Counts a failure, commits it, and throws `error`.
[[noreturn]] void CountFailureAndThrow(api::Context& ctx, const json& pool, UserRef& user, const ApiError& error);
// Forgets earlier failures (writes the record when there were any).
void ClearFailures(api::Context& ctx, const json& pool, UserRef& user);

}  // namespace cogemu::idp
