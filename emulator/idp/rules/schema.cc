#include "emulator/idp/rules/schema.h"

#include <array>

#include "emulator/api/error.h"

namespace cogemu::idp::rules {
namespace {

using json = nlohmann::json;

struct Standard {
  const char* name;
  const char* type;
  bool mutable_;
  bool required;
  const char* min_length;  // strings
  const char* max_length;
};

// The standard attributes as AWS lists them for a new pool.
constexpr std::array<Standard, 21> kStandard = {{
    {"sub", "String", false, true, "1", "2048"},
    {"name", "String", true, false, "0", "2048"},
    {"given_name", "String", true, false, "0", "2048"},
    {"family_name", "String", true, false, "0", "2048"},
    {"middle_name", "String", true, false, "0", "2048"},
    {"nickname", "String", true, false, "0", "2048"},
    {"preferred_username", "String", true, false, "0", "2048"},
    {"profile", "String", true, false, "0", "2048"},
    {"picture", "String", true, false, "0", "2048"},
    {"website", "String", true, false, "0", "2048"},
    {"email", "String", true, false, "0", "2048"},
    {"email_verified", "Boolean", true, false, nullptr, nullptr},
    {"gender", "String", true, false, "0", "2048"},
    {"birthdate", "String", true, false, "10", "10"},
    {"zoneinfo", "String", true, false, "0", "2048"},
    {"locale", "String", true, false, "0", "2048"},
    {"phone_number", "String", true, false, "0", "2048"},
    {"phone_number_verified", "Boolean", true, false, nullptr, nullptr},
    {"address", "String", true, false, "0", "2048"},
    {"updated_at", "Number", true, false, nullptr, nullptr},
    {"identities", "String", true, false, nullptr, nullptr},
}};

json StandardEntry(const Standard& s) {
  json e = {{"Name", s.name},
            {"AttributeDataType", s.type},
            {"DeveloperOnlyAttribute", false},
            {"Mutable", s.mutable_},
            {"Required", s.required}};
  if (std::string_view(s.type) == "String") {
    json c = json::object();
    if (s.min_length) c["MinLength"] = s.min_length;
    if (s.max_length) c["MaxLength"] = s.max_length;
    e["StringAttributeConstraints"] = c;
  } else if (std::string_view(s.type) == "Number") {
    e["NumberAttributeConstraints"] = {{"MinValue", "0"}};
  }
  return e;
}

size_t CountCustom(const json& schema) {
  size_t n = 0;
  for (const auto& a : schema) {
    const std::string name = a.value("Name", "");
    if (name.rfind("custom:", 0) == 0 || name.rfind("dev:custom:", 0) == 0) ++n;
  }
  return n;
}

json* FindByName(json& schema, std::string_view name) {
  for (auto& a : schema) {
    if (a.value("Name", "") == name) return &a;
  }
  return nullptr;
}

json CustomEntry(const json& in) {
  const std::string base = in.value("Name", "");
  const bool dev_only = in.contains("DeveloperOnlyAttribute") && in["DeveloperOnlyAttribute"].is_boolean() &&
                        in["DeveloperOnlyAttribute"].get<bool>();
  json e = {{"Name", (dev_only ? "dev:custom:" : "custom:") + base},
            {"AttributeDataType", in.contains("AttributeDataType") && in["AttributeDataType"].is_string()
                                      ? in["AttributeDataType"].get<std::string>()
                                      : std::string("String")},
            {"DeveloperOnlyAttribute", dev_only},
            {"Mutable", !(in.contains("Mutable") && in["Mutable"].is_boolean()) || in["Mutable"].get<bool>()},
            {"Required", false}};
  const std::string type = e["AttributeDataType"];
  if (type == "String") {
    json c = json::object();
    if (auto it = in.find("StringAttributeConstraints"); it != in.end() && it->is_object()) {
      for (const char* k : {"MinLength", "MaxLength"}) {
        if (it->contains(k) && (*it)[k].is_string()) c[k] = (*it)[k];
      }
    }
    e["StringAttributeConstraints"] = c;
  } else if (type == "Number") {
    json c = json::object();
    if (auto it = in.find("NumberAttributeConstraints"); it != in.end() && it->is_object()) {
      for (const char* k : {"MinValue", "MaxValue"}) {
        if (it->contains(k) && (*it)[k].is_string()) c[k] = (*it)[k];
      }
    }
    e["NumberAttributeConstraints"] = c;
  }
  return e;
}

}  // namespace

json StandardSchema() {
  json out = json::array();
  for (const auto& s : kStandard) out.push_back(StandardEntry(s));
  return out;
}

bool IsStandardAttribute(std::string_view name) {
  for (const auto& s : kStandard) {
    if (name == s.name) return true;
  }
  return false;
}

json BuildSchema(const json& requested) {
  json schema = StandardSchema();
  if (!requested.is_array()) return schema;
  json customs = json::array();
  for (const auto& in : requested) {
    if (!in.is_object()) continue;
    const std::string name = in.value("Name", "");
    if (name.empty()) {
      throw errors::InvalidParameter("Schema attribute name is required.");
    }
    if (json* std_attr = FindByName(schema, name); std_attr && IsStandardAttribute(name)) {
      if (name == "sub") {
        // sub's definition is fixed; AWS accepts it restated.
        continue;
      }
      if (in.contains("AttributeDataType") && in["AttributeDataType"].is_string() &&
          in["AttributeDataType"] != (*std_attr)["AttributeDataType"]) {
        throw errors::InvalidParameter("You can not change AttributeDataType or set "
                                       "developerOnlyAttribute for standard schema attribute " +
                                       name);
      }
      if (in.contains("DeveloperOnlyAttribute") && in["DeveloperOnlyAttribute"] == true) {
        throw errors::InvalidParameter("You can not change AttributeDataType or set "
                                       "developerOnlyAttribute for standard schema attribute " +
                                       name);
      }
      if (in.contains("Mutable") && in["Mutable"].is_boolean()) (*std_attr)["Mutable"] = in["Mutable"];
      if (in.contains("Required") && in["Required"].is_boolean()) (*std_attr)["Required"] = in["Required"];
      if (auto it = in.find("StringAttributeConstraints"); it != in.end() && it->is_object() &&
                                                           std_attr->contains("StringAttributeConstraints")) {
        for (const char* k : {"MinLength", "MaxLength"}) {
          if (it->contains(k) && (*it)[k].is_string()) (*std_attr)["StringAttributeConstraints"][k] = (*it)[k];
        }
      }
      continue;
    }
    if (in.contains("Required") && in["Required"] == true) {
      throw errors::InvalidParameter("Required custom attributes are not supported currently.");
    }
    customs.push_back(in);
  }
  AddCustomAttributes(schema, customs);
  return schema;
}

void AddCustomAttributes(json& schema, const json& custom) {
  if (!custom.is_array()) return;
  for (const auto& in : custom) {
    if (!in.is_object()) continue;
    json entry = CustomEntry(in);
    const std::string name = entry["Name"];
    const std::string plain = in.value("Name", "");
    if (FindByName(schema, name) || FindByName(schema, "custom:" + plain) ||
        FindByName(schema, "dev:custom:" + plain)) {
      throw errors::InvalidParameter("Existing attribute already has name " + name + ".");
    }
    if (CountCustom(schema) >= kMaxCustomAttributes) {
      throw errors::InvalidParameter("A user pool can have at most " +
                                     std::to_string(kMaxCustomAttributes) +
                                     " custom attributes.");
    }
    schema.push_back(std::move(entry));
  }
}

}  // namespace cogemu::idp::rules
