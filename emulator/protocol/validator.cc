#include "emulator/protocol/validator.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace cogemu::protocol {

// Message catalogue.
//
// SerializationException (the first type mismatch wins; AWS's Coral/Jackson wording):
//   string/blob member, got a number        "NUMBER_VALUE can not be converted to a String"
//   string/blob member, got true/false      "TRUE_VALUE can not be converted to a String" (FALSE_)
//   integer/long member, got a string       "STRING_VALUE can not be converted to an Integer"
//                                           ("... to a Long")
//   integer/long member, got true/false     "TRUE_VALUE can not be converted to an Integer"
//   integer/long member, got 1.5            "DECIMAL_VALUE can not be converted to an Integer"
//                                           (an integral 5.0 is read as 5)
//   integer/long member, number outside int32/int64 and no min/max it breaks
//                                           "NUMBER_VALUE can not be converted to an Integer"
//                                           (our wording; when it breaks min/max, AWS reports
//                                           the range violation with the value left out:
//                                           "Value at 'maxResults' ... less than or equal to 60")
//   boolean member, got a string / number   "STRING_VALUE can not be converted to a Boolean" /
//                                           "NUMBER_VALUE can not be converted to a Boolean"
//   double/float member, got a string/bool  "STRING_VALUE can not be converted to a Double" ...
//   timestamp member: a number (epoch seconds) or a string holding one; any other string gives
//                                           "STRING_VALUE can not be converted to a Timestamp"
//   scalar or list member, got an object    "Start of structure or map found where not expected."
//   scalar member, got an array             "Start of list found where not expected" (no period:
//                                           measured on AWS, unlike the object case)
//   list member, got a non-array            "Expected list or null"   (measured on AWS)
//   structure member, got a non-object      "Expected null"           (measured on AWS)
//   map member, got a non-object            "Expected map or null"    (by analogy; not measured)
//   request body an array                   "Start of list found where not expected"
//   request body null / a scalar            no message (empty string), as AWS
//
// InvalidParameterException constraint texts (each its own violation, in this order):
//   "Member must not be null"                          (required member absent or null)
//   "Member must have length greater than or equal to N" / "... less than or equal to N"
//                                                      (string UTF-16 length, blob bytes,
//                                                      list/map entry count)
//   "Member must satisfy regular expression pattern: <pattern as in the model>"
//   "Member must satisfy enum value set: [A, B]"       (model order)
//   "Member must have value greater than or equal to N" / "... less than or equal to N"
// Elements of a list of scalars are not reported one by one: like AWS, one violation at the
// list's path whose Value is the whole list, "Member must satisfy constraint: [<every
// constraint of the element shape>]" (max length, min length, pattern, enum, max/min value).
// Map keys and scalar map values likewise: "Map keys must satisfy constraint: [...]",
// "Map value must satisfy constraint: [...]" at the map's path, Value = the whole map.
// Structure elements of a list are walked at "<list>.<1-based index>.member.<field>", complex
// map values at "<map>.<key>.member.<field>".
// A null element of a list is refused (unconfirmed wording, in the same grammar): a null
// structure element gives "Value null at '<list>.<i>.member' ... Member must not be null", a
// null scalar element "Value '[a, null]' at '<list>' ... Member must satisfy constraint: [Member
// must not be null]". A null map value passes as absent: amazon-cognito-identity-js sends
// ChallengeResponses {"DEVICE_KEY": null} when it retries without a forgotten device, which
// AWS accepts.
// Values are rendered Java-style: strings verbatim, numbers as JSON text, lists "[a, b]", maps
// "{k=v, k2=v2}", structures "{Name=x, Value=y}" (model order) with sensitive members inside a
// rendered value shown as "*** Sensitive Data Redacted ***".

namespace {

using Json = nlohmann::json;

constexpr std::string_view kStartOfObject = "Start of structure or map found where not expected.";
constexpr std::string_view kStartOfList = "Start of list found where not expected";
constexpr std::string_view kExpectedStructure = "Expected null";
constexpr std::string_view kExpectedList = "Expected list or null";
constexpr std::string_view kExpectedMap = "Expected map or null";
constexpr std::string_view kRedacted = "*** Sensitive Data Redacted ***";
constexpr std::string_view kNotNull = "Member must not be null";

// Deeper than any model nests; beyond it the walk stops descending (the wire layer bounds JSON
// nesting anyway, and input deeper than a non-recursive model is a type error before this).
constexpr size_t kMaxDepth = 64;

// Failures of one scalar value, in report order.
enum : unsigned {
  kLengthMin = 1u << 0,
  kLengthMax = 1u << 1,
  kPatternFail = 1u << 2,
  kEnumFail = 1u << 3,
  kValueMin = 1u << 4,
  kValueMax = 1u << 5,
  kOmitValue = 1u << 6,  // the number does not fit its type: AWS leaves the value out
};

bool IsComplex(const Shape& shape) {
  return (shape.type == ShapeType::kStructure && !shape.is_document) ||
         shape.type == ShapeType::kList || shape.type == ShapeType::kMap;
}

bool IsFloating(ShapeType type) { return type == ShapeType::kDouble || type == ShapeType::kFloat; }

bool IsNumeric(ShapeType type) {
  return type == ShapeType::kInteger || type == ShapeType::kLong || IsFloating(type);
}

// A model bound: integral values without decimals ("60"), except for double/float shapes,
// which Java prints as "1.0".
void AppendBound(std::string& out, double bound, bool floating) {
  if (std::isfinite(bound) && bound == std::floor(bound) && std::fabs(bound) < 1e18) {
    out += std::to_string(static_cast<long long>(bound));
    if (floating) out += ".0";
    return;
  }
  char buffer[40];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), bound);
  out.append(buffer, result.ptr);
}

void AppendConstraint(std::string& out, unsigned failure, const Shape& shape) {
  const bool floating = IsFloating(shape.type);
  switch (failure) {
    case kLengthMin:
      out += "Member must have length greater than or equal to ";
      AppendBound(out, shape.min.value_or(0), false);
      break;
    case kLengthMax:
      out += "Member must have length less than or equal to ";
      AppendBound(out, shape.max.value_or(0), false);
      break;
    case kPatternFail:
      out += "Member must satisfy regular expression pattern: ";
      out += shape.pattern != nullptr ? shape.pattern->source() : std::string();
      break;
    case kEnumFail:
      out += "Member must satisfy enum value set: [";
      for (size_t i = 0; i < shape.enum_values.size(); ++i) {
        if (i > 0) out += ", ";
        out += shape.enum_values[i];
      }
      out += ']';
      break;
    case kValueMin:
      out += "Member must have value greater than or equal to ";
      AppendBound(out, shape.min.value_or(0), floating);
      break;
    case kValueMax:
      out += "Member must have value less than or equal to ";
      AppendBound(out, shape.max.value_or(0), floating);
      break;
    default:
      break;
  }
}

// "[<every constraint of shape>]" as AWS lists them for list elements and map keys/values:
// max before min, then pattern, then enum.
std::string AllConstraints(const Shape& shape) {
  std::vector<unsigned> parts;
  if (IsNumeric(shape.type)) {
    if (shape.max) parts.push_back(kValueMax);
    if (shape.min) parts.push_back(kValueMin);
  } else {
    if (shape.max) parts.push_back(kLengthMax);
    if (shape.min) parts.push_back(kLengthMin);
  }
  if (shape.pattern != nullptr) parts.push_back(kPatternFail);
  if (!shape.enum_values.empty()) parts.push_back(kEnumFail);
  std::string out = "[";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += ", ";
    AppendConstraint(out, parts[i], shape);
  }
  out += ']';
  return out;
}

bool HasConstraints(const Shape& shape) {
  return shape.min || shape.max || shape.pattern != nullptr || !shape.enum_values.empty();
}

unsigned LengthFailures(const Shape& shape, double length) {
  unsigned failures = 0;
  if (shape.min && length < *shape.min) failures |= kLengthMin;
  if (shape.max && length > *shape.max) failures |= kLengthMax;
  return failures;
}

unsigned StringFailures(const Shape& shape, std::string_view s) {
  unsigned failures = 0;
  if (shape.min || shape.max)
    failures |= LengthFailures(shape, static_cast<double>(Utf16Length(s)));
  if (shape.pattern != nullptr && !shape.pattern->FullMatch(s)) failures |= kPatternFail;
  if (!shape.enum_values.empty() &&
      std::find(shape.enum_values.begin(), shape.enum_values.end(), s) == shape.enum_values.end()) {
    failures |= kEnumFail;
  }
  return failures;
}

// Bytes a base64 text decodes to (padding and whitespace ignored; the handler rejects bad
// base64 itself).
size_t Base64DecodedLength(std::string_view s) {
  size_t chars = 0;
  for (char c : s) {
    if (c != '=' && c != ' ' && c != '\n' && c != '\r' && c != '\t') ++chars;
  }
  return chars * 3 / 4;
}

std::string_view TokenName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::string:
      return "STRING_VALUE";
    case Json::value_t::boolean:
      return v.get<bool>() ? "TRUE_VALUE" : "FALSE_VALUE";
    default:
      return "NUMBER_VALUE";
  }
}

std::string_view TargetName(ShapeType type) {
  switch (type) {
    case ShapeType::kInteger:
      return "an Integer";
    case ShapeType::kLong:
      return "a Long";
    case ShapeType::kBoolean:
      return "a Boolean";
    case ShapeType::kDouble:
      return "a Double";
    case ShapeType::kFloat:
      return "a Float";
    case ShapeType::kTimestamp:
      return "a Timestamp";
    default:
      return "a String";
  }
}

std::string CannotConvert(std::string_view token, ShapeType type) {
  std::string message(token);
  message += " can not be converted to ";
  message += TargetName(type);
  return message;
}

bool ParsesAsNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  const double d = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(d);
}

// An integer/long read from JSON: its value, and whether it fits the type (int32 / int64).
struct IntegerRead {
  double value = 0;
  bool out_of_range = false;
};

void AppendScalar(std::string& out, const Shape* shape, const Json& v) {
  switch (v.type()) {
    case Json::value_t::string:
      out += v.get_ref<const std::string&>();
      return;
    case Json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_float:
      if (shape != nullptr &&
          (shape->type == ShapeType::kInteger || shape->type == ShapeType::kLong)) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.2e18) {
          out += std::to_string(static_cast<long long>(d));
          return;
        }
      }
      out += v.dump();
      return;
    case Json::value_t::null:
      out += "null";
      return;
    default:
      out += v.dump();
      return;
  }
}

// Java-style rendering of a value for "Value '<...>'". `shape` may be nullptr (unknown).
void AppendValue(std::string& out, const Shape* shape, const Json& v) {
  if (v.is_array()) {
    const Shape* element =
        shape != nullptr && shape->type == ShapeType::kList ? shape->member : nullptr;
    out += '[';
    bool first = true;
    for (const Json& e : v) {
      if (!first) out += ", ";
      first = false;
      if (element != nullptr && element->sensitive) {
        out += kRedacted;
      } else {
        AppendValue(out, element, e);
      }
    }
    out += ']';
    return;
  }
  if (v.is_object()) {
    out += '{';
    bool first = true;
    if (shape != nullptr && shape->type == ShapeType::kStructure && !shape->is_document) {
      for (const Member& m : shape->members) {
        auto it = v.find(m.name);
        if (it == v.end() || it->is_null()) continue;
        if (!first) out += ", ";
        first = false;
        out += m.name;
        out += '=';
        if (m.shape->sensitive) {
          out += kRedacted;
        } else {
          AppendValue(out, m.shape, *it);
        }
      }
    } else {
      const bool is_map = shape != nullptr && shape->type == ShapeType::kMap;
      const Shape* key = is_map ? shape->key : nullptr;
      const Shape* value = is_map ? shape->value : nullptr;
      for (const auto& [k, e] : v.items()) {
        if (!first) out += ", ";
        first = false;
        out += key != nullptr && key->sensitive ? kRedacted : std::string_view(k);
        out += '=';
        if (value != nullptr && value->sensitive) {
          out += kRedacted;
        } else {
          AppendValue(out, value, e);
        }
      }
    }
    out += '}';
    return;
  }
  AppendScalar(out, shape, v);
}

// Whether a value shows up in messages: not when its shape, or anything inside it that the
// rendering would print whole, is sensitive.
bool ElementsSensitive(const Shape& shape) {
  switch (shape.type) {
    case ShapeType::kList:
      return shape.member->sensitive;
    case ShapeType::kMap:
      return shape.key->sensitive || shape.value->sensitive;
    default:
      return false;
  }
}

struct Segment {
  std::string_view name;   // member path name, or map key
  size_t index = 0;        // list element (1-based) when non-zero
  bool map_value = false;  // "<key>.member"
};

class Walker {
 public:
  // Walks `v` (never null) as `shape`. Returns false when a type error ends the walk.
  bool Walk(const Shape& shape, const Json& v, bool sensitive);

  std::vector<std::string> violations;
  std::string type_error;

 private:
  bool TypeError(std::string message) {
    type_error = std::move(message);
    return false;
  }
  bool Structure(const Shape& shape, const Json& v, bool sensitive);
  bool List(const Shape& shape, const Json& v, bool sensitive);
  bool Map(const Shape& shape, const Json& v, bool sensitive);
  // Type-checks a scalar and computes its constraint failures.
  bool ReadScalar(const Shape& shape, const Json& v, unsigned& failures);
  bool ReadInteger(const Shape& shape, const Json& v, IntegerRead& read);
  // One violation per failure bit, at the current path.
  void Report(unsigned failures, const Shape& shape, const Json& v, bool sensitive);
  // "Value '<v>' at '<path>' failed to satisfy constraint: <constraint>"; `v` nullptr = omitted.
  void Add(const Shape* shape, const Json* v, bool is_null, std::string_view constraint);

  bool Push(Segment segment) {
    if (depth_ == path_.size()) return false;
    path_[depth_++] = segment;
    return true;
  }
  void Pop() { --depth_; }
  void AppendPath(std::string& out) const;

  std::array<Segment, kMaxDepth> path_{};
  size_t depth_ = 0;
};

void Walker::AppendPath(std::string& out) const {
  for (size_t i = 0; i < depth_; ++i) {
    if (i > 0) out += '.';
    const Segment& s = path_[i];
    if (s.index > 0) {
      out += std::to_string(s.index);
      out += ".member";
    } else {
      out += s.name;
      if (s.map_value) out += ".member";
    }
  }
}

void Walker::Add(const Shape* shape, const Json* v, bool is_null, std::string_view constraint) {
  std::string text = "Value ";
  if (is_null) {
    text += "null ";
  } else if (v != nullptr) {
    text += '\'';
    AppendValue(text, shape, *v);
    text += "' ";
  }
  text += "at '";
  AppendPath(text);
  text += "' failed to satisfy constraint: ";
  text += constraint;
  violations.push_back(std::move(text));
}

void Walker::Report(unsigned failures, const Shape& shape, const Json& v, bool sensitive) {
  const bool omit = sensitive || (failures & kOmitValue) != 0;
  for (unsigned bit : {kLengthMin, kLengthMax, kPatternFail, kEnumFail, kValueMin, kValueMax}) {
    if ((failures & bit) == 0) continue;
    std::string constraint;
    AppendConstraint(constraint, bit, shape);
    Add(&shape, omit ? nullptr : &v, false, constraint);
  }
}

bool Walker::ReadInteger(const Shape& shape, const Json& v, IntegerRead& read) {
  const bool is_int = shape.type == ShapeType::kInteger;
  constexpr double kInt64Min = -9223372036854775808.0;  // -2^63
  constexpr double kInt64End = 9223372036854775808.0;   // 2^63
  switch (v.type()) {
    case Json::value_t::number_integer: {
      const int64_t i = v.get<int64_t>();
      read.value = static_cast<double>(i);
      read.out_of_range = is_int && (i < INT32_MIN || i > INT32_MAX);
      return true;
    }
    case Json::value_t::number_unsigned: {
      const uint64_t u = v.get<uint64_t>();
      read.value = static_cast<double>(u);
      read.out_of_range = u > static_cast<uint64_t>(is_int ? INT32_MAX : INT64_MAX);
      return true;
    }
    case Json::value_t::number_float: {
      const double d = v.get<double>();
      if (!std::isfinite(d) || d != std::floor(d))
        return TypeError(CannotConvert("DECIMAL_VALUE", shape.type));
      read.value = d;
      read.out_of_range =
          is_int ? (d < INT32_MIN || d > INT32_MAX) : (d < kInt64Min || d >= kInt64End);
      return true;
    }
    default:
      return TypeError(CannotConvert(TokenName(v), shape.type));
  }
}

bool Walker::ReadScalar(const Shape& shape, const Json& v, unsigned& failures) {
  failures = 0;
  if (v.is_object()) return TypeError(std::string(kStartOfObject));
  if (v.is_array()) return TypeError(std::string(kStartOfList));
  switch (shape.type) {
    case ShapeType::kString:
      if (!v.is_string()) return TypeError(CannotConvert(TokenName(v), ShapeType::kString));
      failures = StringFailures(shape, v.get_ref<const std::string&>());
      return true;
    case ShapeType::kBlob: {
      if (!v.is_string()) return TypeError(CannotConvert(TokenName(v), ShapeType::kString));
      const std::string& s = v.get_ref<const std::string&>();
      if (shape.min || shape.max)
        failures = LengthFailures(shape, static_cast<double>(Base64DecodedLength(s)));
      return true;
    }
    case ShapeType::kTimestamp:
      if (v.is_number()) return true;
      if (v.is_string() && ParsesAsNumber(v.get_ref<const std::string&>())) return true;
      return TypeError(CannotConvert(TokenName(v), ShapeType::kTimestamp));
    case ShapeType::kBoolean:
      if (v.is_boolean()) return true;
      return TypeError(CannotConvert(TokenName(v), ShapeType::kBoolean));
    case ShapeType::kInteger:
    case ShapeType::kLong: {
      IntegerRead read;
      if (!ReadInteger(shape, v, read)) return false;
      if (shape.min && read.value < *shape.min) failures |= kValueMin;
      if (shape.max && read.value > *shape.max) failures |= kValueMax;
      if (read.out_of_range) {
        if (failures == 0) return TypeError(CannotConvert("NUMBER_VALUE", shape.type));
        failures |= kOmitValue;
      }
      return true;
    }
    case ShapeType::kDouble:
    case ShapeType::kFloat: {
      if (!v.is_number()) return TypeError(CannotConvert(TokenName(v), shape.type));
      const double d = v.get<double>();
      if (shape.min && d < *shape.min) failures |= kValueMin;
      if (shape.max && d > *shape.max) failures |= kValueMax;
      return true;
    }
    default:
      return true;
  }
}

bool Walker::Walk(const Shape& shape, const Json& v, bool sensitive) {
  sensitive = sensitive || shape.sensitive;
  switch (shape.type) {
    case ShapeType::kStructure:
      if (shape.is_document) return true;  // any JSON value
      return Structure(shape, v, sensitive);
    case ShapeType::kList:
      return List(shape, v, sensitive);
    case ShapeType::kMap:
      return Map(shape, v, sensitive);
    default: {
      unsigned failures = 0;
      if (!ReadScalar(shape, v, failures)) return false;
      if (failures != 0) Report(failures, shape, v, sensitive);
      return true;
    }
  }
}

bool Walker::Structure(const Shape& shape, const Json& v, bool sensitive) {
  if (!v.is_object()) return TypeError(std::string(kExpectedStructure));
  for (const Member& m : shape.members) {
    auto it = v.find(m.name);
    if (it == v.end() || it->is_null()) {
      if (m.required) {
        if (!Push({m.path_name})) continue;
        Add(m.shape, nullptr, /*is_null=*/true, kNotNull);  // null is no secret
        Pop();
      }
      continue;
    }
    if (!Push({m.path_name})) continue;
    const bool ok = Walk(*m.shape, *it, sensitive);
    Pop();
    if (!ok) return false;
  }
  return true;
}

bool Walker::List(const Shape& shape, const Json& v, bool sensitive) {
  if (!v.is_array()) return TypeError(std::string(kExpectedList));
  const Shape& element = *shape.member;
  const bool hide = sensitive || ElementsSensitive(shape);
  if (const unsigned failures = LengthFailures(shape, static_cast<double>(v.size()));
      failures != 0) {
    Report(failures, shape, v, hide);
  }
  if (IsComplex(element)) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (!Push({{}, i + 1})) continue;
      bool ok = true;
      if (v[i].is_null()) {
        Add(&element, nullptr, /*is_null=*/true, kNotNull);
      } else {
        ok = Walk(element, v[i], sensitive);
      }
      Pop();
      if (!ok) return false;
    }
    return true;
  }
  if (element.is_document) return true;
  bool any_failed = false;
  bool any_null = false;
  for (const Json& e : v) {
    if (e.is_null()) {
      any_null = true;
      continue;
    }
    unsigned failures = 0;
    if (!ReadScalar(element, e, failures)) return false;
    any_failed = any_failed || failures != 0;
  }
  if (any_null) {
    Add(&shape, hide ? nullptr : &v, false, "Member must satisfy constraint: [" + std::string(kNotNull) + "]");
  }
  if (any_failed) {
    Add(&shape, hide ? nullptr : &v, false,
        "Member must satisfy constraint: " + AllConstraints(element));
  }
  return true;
}

bool Walker::Map(const Shape& shape, const Json& v, bool sensitive) {
  if (!v.is_object()) return TypeError(std::string(kExpectedMap));
  const bool hide = sensitive || ElementsSensitive(shape);
  if (const unsigned failures = LengthFailures(shape, static_cast<double>(v.size()));
      failures != 0) {
    Report(failures, shape, v, hide);
  }
  const Shape& key = *shape.key;
  if (key.type == ShapeType::kString && HasConstraints(key)) {
    for (const auto& [k, unused] : v.items()) {
      if (StringFailures(key, k) != 0) {
        Add(&shape, hide ? nullptr : &v, false,
            "Map keys must satisfy constraint: " + AllConstraints(key));
        break;
      }
    }
  }
  const Shape& value = *shape.value;
  if (IsComplex(value)) {
    for (const auto& [k, e] : v.items()) {
      if (e.is_null()) continue;
      if (!Push({k, 0, true})) continue;
      const bool ok = Walk(value, e, sensitive);
      Pop();
      if (!ok) return false;
    }
    return true;
  }
  if (value.is_document) return true;
  bool any_failed = false;
  for (const auto& [k, e] : v.items()) {
    if (e.is_null()) continue;
    unsigned failures = 0;
    if (!ReadScalar(value, e, failures)) return false;
    any_failed = any_failed || failures != 0;
  }
  if (any_failed) {
    Add(&shape, hide ? nullptr : &v, false,
        "Map value must satisfy constraint: " + AllConstraints(value));
  }
  return true;
}

}  // namespace

namespace {

// "1 validation error detected: <v>" or "N validation errors detected: <v1>; <v2>; ...".
ValidationFailure Summary(const std::vector<std::string>& violations) {
  const size_t n = violations.size();
  std::string message = std::to_string(n);
  message += n == 1 ? " validation error detected: " : " validation errors detected: ";
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) message += "; ";
    message += violations[i];
  }
  return ValidationFailure{"InvalidParameterException", std::move(message)};
}

}  // namespace

std::optional<ValidationFailure> ValidateInput(const Operation& op, const nlohmann::json& input) {
  if (op.input == nullptr) return std::nullopt;
  if (input.is_array())
    return ValidationFailure{"SerializationException", std::string(kStartOfList)};
  if (!input.is_object()) return ValidationFailure{"SerializationException", std::string()};
  Walker walker;
  if (!walker.Walk(*op.input, input, false)) {
    return ValidationFailure{"SerializationException", std::move(walker.type_error)};
  }
  if (walker.violations.empty()) return std::nullopt;
  return Summary(walker.violations);
}

ValidationFailure MissingMember(std::string_view path) {
  return Summary({"Value null at '" + std::string(path) + "' failed to satisfy constraint: " +
                  std::string(kNotNull)});
}

}  // namespace cogemu::protocol
