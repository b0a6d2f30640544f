// Input validation from the service model, answered the way AWS's framework (Coral) answers it
// before any handler runs:
//
//  * A JSON type that the member's shape cannot take is a SerializationException with a
//    Jackson-style message; the first one found (in model member order, depth first) wins and
//    beats every constraint violation, as with AWS (deserialisation runs before validation).
//  * Constraint violations (required, length, pattern, enum, value range) are collected, all of
//    them, in model member order, depth first, into one InvalidParameterException:
//      "1 validation error detected: <v>" / "N validation errors detected: <v1>; <v2>; ..."
//      <v> = "Value '<value>' at '<path>' failed to satisfy constraint: Member must ..."
//    The value is left out ("Value at '<path>'") when the shape or any enclosing shape is
//    sensitive; a missing required member reads "Value null at '<path>'".
//  * JSON null anywhere means "absent"; members the model does not know are ignored.
//
// See validator.cc for the exact message catalogue.
#pragma once

#include "emulator/util/utf8.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "emulator/protocol/model.h"

namespace cogemu::protocol {

struct ValidationFailure {
  std::string code;     // "SerializationException" or "InvalidParameterException"
  std::string message;  // may be empty for a SerializationException (AWS sends none)
};

// Checks `input` (the parsed request body) against op.input. Returns nullopt if valid.
// A body that is not a JSON object is a SerializationException ("Start of list found where not
// expected" for an array, no message otherwise). Thread-safe; allocates only on failure (plus
// each thread's first pattern match).
std::optional<ValidationFailure> ValidateInput(const Operation& op, const nlohmann::json& input);

// The failure for one absent required member, worded as ValidateInput words it; for members the
// service requires though the model marks them optional (SignUp's Password outside passwordless
// sign-in). `path` is the camelCase member path, e.g. "password".
ValidationFailure MissingMember(std::string_view path);

// Length of a UTF-8 string as Java counts it (UTF-16 code units): what AWS's min/max length
// constraints measure. A code point above U+FFFF counts 2. Expects valid UTF-8.
inline size_t Utf16Length(std::string_view utf8) { return utf8::Utf16Length(utf8); }

}  // namespace cogemu::protocol
