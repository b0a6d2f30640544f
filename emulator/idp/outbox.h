// The message outbox: every code (confirmation, recovery, MFA "MFA", passwordless sign-in
// "OTP") or temporary password the emulator "sends" is
// recorded here (kOutbox, in sending order) and printed to the log, so tests can read it
// through GET /_emulator/messages instead of an inbox.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/api/context.h"

namespace cogemu::idp {

struct OutboundMessage {
  std::string pool_id;
  std::string username;         // canonical username
  std::string destination;      // the email address or phone number
  std::string delivery_medium;  // "EMAIL" | "SMS"
  std::string reason;           // "SignUp", "ResendConfirmationCode", "AdminCreateUser", ...
  std::optional<std::string> code;
  std::optional<std::string> temporary_password;
  std::optional<std::string> subject;  // e-mail subject, where the pool's template gives one
  std::optional<std::string> message;  // the text as the pool's template renders it
};

void SendMessage(api::Context& ctx, const OutboundMessage& message);

// Messages, oldest first, optionally only those of one pool and/or user (matched against the
// username or the destination).
nlohmann::json ListMessages(const store::Txn& txn, const std::string& pool_id, const std::string& username);
size_t ClearMessages(store::Txn& txn);

}  // namespace cogemu::idp
