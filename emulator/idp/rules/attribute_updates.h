// What an attribute update does to a user's attributes, beyond the schema checks of
// attributes.h: the verification state of email and phone_number, values held back until they
// are verified (the pool's UserAttributeUpdateSettings), and which verification codes go out or
// become void. Pure: the handlers (idp/attributes.cc) store the result and send the codes.
//
// AWS's rules, as the API reference states them (UpdateUserAttributes, AdminUpdateUserAttributes,
// VerifyUserAttribute, UserAttributeUpdateSettingsType):
//  - a new email / phone_number is unverified (*_verified "false"), and a code goes to it when the
//    pool auto-verifies that attribute;
//  - an admin update that also sets *_verified to true takes the value as verified and sends
//    nothing;
//  - an attribute listed in AttributesRequireVerificationBeforeUpdate keeps its old value (and
//    its verified state, and with it the alias / sign-in name) until the new value is verified;
//    the new value waits as a pending value and the code goes to it. Verifying it (or an admin
//    setting *_verified to true) replaces the old value;
//  - writing the value the user already has changes nothing and sends no code (observed:
//    gh:amazon-archives/amazon-cognito-identity-js#350); it drops a pending change;
//  - an empty value deletes the attribute; deleting email / phone_number also drops its
//    *_verified flag and any pending value.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace cogemu::idp::rules {

// email and phone_number: the attributes that can be verified.
bool IsVerifiableAttribute(std::string_view name);
// "email" -> "email_verified".
std::string VerifiedFlagOf(std::string_view name);

struct AttributeUpdatePlan {
  nlohmann::json attributes;            // the user's attributes after the update
  nlohmann::json pending;               // name -> value waiting for verification (object)
  std::vector<std::string> send_codes;  // verifiable attributes to send a code for, email first
  std::vector<std::string> void_codes;  // verifiable attributes whose outstanding code is void
};

// The destination of a verification code for `name`: its pending value, else its value, else "".
std::string VerificationTarget(const nlohmann::json& attributes, const nlohmann::json& pending,
                               std::string_view name);

// Applies `writes` (CheckAttributeWrites' result for an update: name -> value, "" deletes) to
// `attributes` (name -> value) and `pending`. `auto_verified` is the pool's
// AutoVerifiedAttributes, `verify_before_update` its
// UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate (arrays or null).
AttributeUpdatePlan PlanAttributeUpdate(const nlohmann::json& attributes, const nlohmann::json& pending,
                                        const nlohmann::json& writes, const nlohmann::json& auto_verified,
                                        const nlohmann::json& verify_before_update);

// A verified code for `name`: its pending value (if any) replaces the value, and the attribute
// is marked verified. Changes `attributes` and `pending` in place.
void ApplyVerification(nlohmann::json& attributes, nlohmann::json& pending, std::string_view name);

}  // namespace cogemu::idp::rules
