#include "emulator/idp/rules/attributes.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>
#include <vector>

#include "emulator/api/error.h"
#include "emulator/idp/rules/usernames.h"

namespace cogemu::idp::rules {
namespace {

using json = nlohmann::json;

constexpr size_t kDefaultMaxLength = 2048;

// real AWS text, seen in gh:aws/aws-sdk-js#1319 and gh:aws-amplify/amplify-js#5345 (raw JSON)
constexpr std::string_view kUnauthorizedWrite = "A client attempted to write unauthorized attribute";
// real AWS text: prefix of every creation-time schema error, e.g. gh:aws-amplify/amplify-js#2167
constexpr std::string_view kSchemaPrefix = "Attributes did not conform to the schema: ";

// Reasons inside a schema error.
// real AWS text, gh:aws-amplify/amplify-js#2167 (SignUp), gh:aws-amplify/amplify-flutter#1531 (update)
constexpr std::string_view kDoesNotExist = "Attribute does not exist in the schema.";
// real AWS text, gh:aws-amplify/amplify-swift#3981 (UpdateUserAttributes) and
// gh:amazon-archives/amazon-cognito-auth-js#73 (federated sign-in)
constexpr std::string_view kCannotBeUpdated = "Attribute cannot be updated.";
// real AWS text, gh:aws-amplify/aws-sdk-ios#4251 (UpdateUserAttributes with an empty email)
constexpr std::string_view kRequiredCannotBeDeleted = "Required attribute cannot be deleted.";
// real AWS text (capital T, no period), gh:aws-amplify/amplify-js#935 (truncated there) and a
// quoted SignUp error "Attributes did not conform to the schema: email: The attribute is required";
// several attributes are listed in schema order (name, family_name, gender, birthdate seen in a
// public project's comment)
constexpr std::string_view kAttributeRequired = "The attribute is required";

const json* FindSchemaEntry(const json& schema, std::string_view name) {
  if (!schema.is_array()) return nullptr;
  for (const auto& entry : schema) {
    const auto it = entry.find("Name");
    if (it != entry.end() && it->is_string() && it->get_ref<const std::string&>() == name) return &entry;
  }
  return nullptr;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool ListContains(const json* list, std::string_view name) {
  if (list == nullptr || !list->is_array()) return false;
  for (const auto& item : *list) {
    if (item.is_string() && item.get_ref<const std::string&>() == name) return true;
  }
  return false;
}

bool SelfWritable(std::string_view name, const json* write_attributes) {
  if (name == "sub" || name == "email_verified" || name == "phone_number_verified" ||
      StartsWith(name, "dev:custom:")) {
    return false;
  }
  if (write_attributes == nullptr || !write_attributes->is_array()) return true;
  return ListContains(write_attributes, name);
}

// A constraint value as the schema stores it ("2048") or nullopt.
std::optional<long long> ConstraintInt(const json& entry, const char* group, const char* key) {
  const auto g = entry.find(group);
  if (g == entry.end() || !g->is_object()) return std::nullopt;
  const auto it = g->find(key);
  if (it == g->end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<long long>();
  if (!it->is_string()) return std::nullopt;
  const std::string& s = it->get_ref<const std::string&>();
  long long v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// "-12", "3.5": an optional sign, digits, optionally a fraction.
std::optional<long double> ParseNumber(std::string_view s) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  long double v = 0;
  size_t digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) v = v * 10 + (s[i] - '0');
  if (digits == 0) return std::nullopt;
  if (i < s.size() && s[i] == '.') {
    ++i;
    long double scale = 0.1L;
    size_t fraction = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++fraction, scale /= 10)
      v += (s[i] - '0') * scale;
    if (fraction == 0) return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return negative ? -v : v;
}

// The value problem of a non-empty value, or "". Wording of every reason here: not confirmed
// against AWS (no sample found); modelled on the confirmed reasons above.
std::string ValueProblem(const json& entry, std::string& value) {
  const std::string type = entry.value("AttributeDataType", "String");
  if (type == "Boolean") {
    const std::string lower = ToLowerUtf8(value);
    if (lower != "true" && lower != "false") return "Boolean must be true or false.";  // not confirmed
    value = lower;
    return "";
  }
  if (type == "Number") {
    const auto number = ParseNumber(value);
    if (!number) return "Number must be a valid number.";  // wording not confirmed against AWS
    if (auto min = ConstraintInt(entry, "NumberAttributeConstraints", "MinValue");
        min && *number < static_cast<long double>(*min)) {
      return "Number must be no less than " + std::to_string(*min) + ".";  // not confirmed
    }
    if (auto max = ConstraintInt(entry, "NumberAttributeConstraints", "MaxValue");
        max && *number > static_cast<long double>(*max)) {
      return "Number must be no greater than " + std::to_string(*max) + ".";  // not confirmed
    }
    return "";
  }
  // String (and DateTime, which AWS stores as a string): the length constraints.
  const size_t length = Utf16Length(value);
  const long long max = ConstraintInt(entry, "StringAttributeConstraints", "MaxLength")
                            .value_or(static_cast<long long>(kDefaultMaxLength));
  if (static_cast<long long>(length) > max) {
    return "String must be no longer than " + std::to_string(max) + " characters.";  // not confirmed
  }
  const long long min = ConstraintInt(entry, "StringAttributeConstraints", "MinLength").value_or(0);
  if (static_cast<long long>(length) < min) {
    return "String must be no shorter than " + std::to_string(min) + " characters.";  // not confirmed
  }
  return "";
}

struct Write {
  std::string name;
  std::string value;
};

// The request's list, in first-appearance order, the last value of a repeated name winning.
std::vector<Write> ParseWrites(const json& attrs) {
  std::vector<Write> writes;
  if (!attrs.is_array()) return writes;
  for (const auto& a : attrs) {
    if (!a.is_object()) continue;
    const auto n = a.find("Name");
    if (n == a.end() || !n->is_string()) continue;
    const auto v = a.find("Value");
    std::string value = v != a.end() && v->is_string() ? v->get<std::string>() : std::string();
    const std::string& name = n->get_ref<const std::string&>();
    auto same = std::find_if(writes.begin(), writes.end(), [&](const Write& w) { return w.name == name; });
    if (same != writes.end()) {
      same->value = std::move(value);
    } else {
      writes.push_back({name, std::move(value)});
    }
  }
  return writes;
}

std::vector<std::string> MissingRequired(const json& schema, const json& values) {
  std::vector<std::string> missing;
  if (!schema.is_array()) return missing;
  for (const auto& entry : schema) {
    if (!entry.is_object() || !entry.value("Required", false)) continue;
    const std::string name = entry.value("Name", "");
    if (name.empty() || name == "sub") continue;
    const auto it = values.is_object() ? values.find(name) : values.end();
    if (!values.is_object() || it == values.end() || !it->is_string() ||
        it->get_ref<const std::string&>().empty()) {
      missing.push_back(name);
    }
  }
  return missing;
}

}  // namespace

json CheckAttributeWrites(const json& schema, const json& attrs, const AttributeCheck& check) {
  std::vector<Write> writes = ParseWrites(attrs);

  // 1. What a client may write at all.
  if (check.writer == AttributeWriter::kSelf) {
    for (const auto& w : writes) {
      if (!SelfWritable(w.name, check.client_write_attributes))
        throw errors::NotAuthorized(std::string(kUnauthorizedWrite));
    }
  }

  // 2-3. The schema.
  std::string problems;
  for (auto& w : writes) {
    const json* entry = FindSchemaEntry(schema, w.name);
    std::string reason;
    if (entry == nullptr) {
      if (check.writer == AttributeWriter::kAdmin) {
        // real AWS text (admin-created user with an unknown custom attribute), quoted in public
        // projects' code and notes, e.g. "Type for attribute {custom:role} could not be determined"
        throw errors::InvalidParameter(std::string(kSchemaPrefix) + "Type for attribute {" + w.name +
                                       "} could not be determined");
      }
      reason = kDoesNotExist;
    } else if (w.name == "sub") {
      reason = kCannotBeUpdated;  // sub is never written; wording for this case not confirmed
    } else if (!check.creating && !entry->value("Mutable", true)) {
      reason = kCannotBeUpdated;
    } else if (w.value.empty()) {
      if (!check.creating && entry->value("Required", false)) reason = kRequiredCannotBeDeleted;
    } else {
      reason = ValueProblem(*entry, w.value);
    }
    if (reason.empty()) continue;
    if (!check.creating) problems += "user.";
    problems += w.name;
    problems += ": ";
    problems += reason;
    problems += '\n';
  }
  if (!problems.empty()) {
    throw errors::InvalidParameter(check.creating ? std::string(kSchemaPrefix) + problems : problems);
  }

  // 4. Formats of the two deliverable attributes.
  for (const auto& w : writes) {
    if (w.value.empty()) continue;
    if (w.name == "email" && !LooksLikeEmail(w.value)) {
      // wording not confirmed against AWS (no raw sample found; same family as the phone text)
      throw errors::InvalidParameter("Invalid email address format.");
    }
    if (w.name == "phone_number" && !LooksLikePhone(w.value)) {
      // real AWS text, seen in gh:aws-samples/aws-amplify-auth-starters#5 (raw JSON) and
      // gh:amazon-archives/amazon-cognito-identity-js#316
      throw errors::InvalidParameter("Invalid phone number format.");
    }
  }

  json out = json::object();
  for (auto& w : writes) {
    if (check.creating && w.value.empty()) continue;
    out[w.name] = std::move(w.value);
  }
  return out;
}

void CheckRequiredAttributes(const json& schema, const json& values) {
  const std::vector<std::string> missing = MissingRequired(schema, values);
  if (missing.empty()) return;
  std::string message(kSchemaPrefix);
  for (const auto& name : missing) {
    message += name;
    message += ": ";
    message += kAttributeRequired;
    message += '\n';
  }
  throw errors::InvalidParameter(std::move(message));
}

void CheckRequiredForNewPassword(const json& schema, const json& values) {
  const std::vector<std::string> missing = MissingRequired(schema, values);
  if (missing.empty()) return;
  // real AWS text, gh:aws/aws-sdk-js#1290 and gh:thedistance/ra-cognito#5 (raw JSON, no final
  // period); two names as "name and address is missing" per gh:pmill/aws-cognito#25; three or more
  // joined the same way (not confirmed)
  std::string message = "Invalid attributes given, ";
  for (size_t i = 0; i < missing.size(); ++i) {
    if (i > 0) message += " and ";
    message += missing[i];
  }
  message += " is missing";
  throw errors::InvalidParameter(std::move(message));
}

bool ClientCanRead(const json* client_read_attributes, std::string_view name) {
  if (name == "sub" || client_read_attributes == nullptr || !client_read_attributes->is_array()) return true;
  return ListContains(client_read_attributes, name);
}

}  // namespace cogemu::idp::rules
