// User attribute writes checked against the pool's schema and the app client's permissions, and
// the required-attribute rules. Pure.
//
// `schema` is the pool's SchemaAttributes list (see schema.h); `attrs` is a request's
// AttributeListType: [{"Name":"email","Value":"a@b.co"}, ...].
//
// AWS reports schema violations in two shapes, depending on whether the user is being created:
//   creating (SignUp, AdminCreateUser):
//     "Attributes did not conform to the schema: <name>: <reason>\n<name>: <reason>\n"
//   updating (UpdateUserAttributes, AdminUpdateUserAttributes):
//     "user.<name>: <reason>\nuser.<name>: <reason>\n"
// one line per offending attribute, each ending in '\n'. Sources: SignUp
// gh:aws-amplify/amplify-flutter#509 and gh:aws-amplify/amplify-cli#1761 (trailing newline);
// UpdateUserAttributes gh:aws-amplify/amplify-flutter#1531 (several "user.custom:x: Attribute does
// not exist in the schema." lines), gh:aws-amplify/amplify-swift#3981, gh:aws-amplify/aws-sdk-ios#4251.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace cogemu::idp::rules {

// Who writes. kAdmin: AdminCreateUser / AdminUpdateUserAttributes (IAM caller, any attribute);
// kSelf: SignUp / UpdateUserAttributes / NEW_PASSWORD_REQUIRED (an app client writes).
enum class AttributeWriter { kAdmin, kSelf };

struct AttributeCheck {
  bool creating;  // the user is being created (immutable attributes may be set)
  AttributeWriter writer;
  // The client's WriteAttributes list, or nullptr: every attribute a client may write.
  const nlohmann::json* client_write_attributes;
};

// Validates a list of attribute writes and returns them as a JSON object name -> value (strings).
// Checks, in this order (the first failing step throws):
//  1. kSelf only: "sub", "email_verified", "phone_number_verified" and "dev:custom:*" are never
//     client-writable, nor is a name missing from a given WriteAttributes list:
//       NotAuthorizedException "A client attempted to write unauthorized attribute"
//  2. kAdmin only: a name that is not in the schema:
//       InvalidParameterException
//       "Attributes did not conform to the schema: Type for attribute {<name>} could not be determined"
//  3. Schema rules, every offending attribute reported at once (shapes above), reasons:
//       "Attribute does not exist in the schema."  unknown name (kSelf)
//       "Attribute cannot be updated."             "sub"; an immutable attribute when not creating
//       "Required attribute cannot be deleted."    empty value for a required one when updating
//       "String must be no longer than <n> characters."   over StringAttributeConstraints.MaxLength
//       "String must be no shorter than <n> characters."  under MinLength (non-empty values)
//       "Number must be a valid number."                    Number attribute
//       "Number must be no less than <min>." / "Number must be no greater than <max>."
//       "Boolean must be true or false."                    Boolean attribute (incl. *_verified)
//  4. "email" must pass LooksLikeEmail: InvalidParameterException "Invalid email address format."
//     "phone_number" must pass LooksLikePhone: InvalidParameterException "Invalid phone number format."
// String lengths count UTF-16 code units (Java), default limits 0..2048. An empty value is a
// deletion when updating (kept as "" in the result) and "not given" when creating (left out of
// the result); empty values skip the value checks. Boolean values are accepted in any letter case
// and returned as "true"/"false". A name listed twice: the last value wins.
nlohmann::json CheckAttributeWrites(const nlohmann::json& schema, const nlohmann::json& attrs,
                                    const AttributeCheck& check);

// Required schema attributes (Required=true, "sub" excepted) missing or empty in `values`
// (object name -> value), all of them, in schema order. Throws InvalidParameterException
//   "Attributes did not conform to the schema: <name>: The attribute is required\n..."
void CheckRequiredAttributes(const nlohmann::json& schema, const nlohmann::json& values);

// The NEW_PASSWORD_REQUIRED variant: InvalidParameterException
//   "Invalid attributes given, <name> is missing"  (several: "<a> and <b> is missing")
void CheckRequiredForNewPassword(const nlohmann::json& schema, const nlohmann::json& values);

// Whether a client may read attribute `name`: its ReadAttributes list, or every attribute when
// the list is absent (nullptr or not an array). "sub" is always readable.
bool ClientCanRead(const nlohmann::json* client_read_attributes, std::string_view name);

}  // namespace cogemu::idp::rules
