#include "emulator/idp/rules/attribute_updates.h"

#include <algorithm>

namespace cogemu::idp::rules {
namespace {

using json = nlohmann::json;

constexpr const char* kVerifiable[] = {"email", "phone_number"};

bool ListHas(const json& list, std::string_view name) {
  if (!list.is_array()) return false;
  return std::any_of(list.begin(), list.end(), [&](const json& v) { return v.is_string() && v == name; });
}

std::string StringAt(const json& obj, std::string_view name) {
  if (!obj.is_object()) return "";
  auto it = obj.find(name);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void AddOnce(std::vector<std::string>& list, const std::string& name) {
  if (std::find(list.begin(), list.end(), name) == list.end()) list.push_back(name);
}

}  // namespace

bool IsVerifiableAttribute(std::string_view name) { return name == "email" || name == "phone_number"; }

std::string VerifiedFlagOf(std::string_view name) {
  std::string flag(name);
  flag += "_verified";
  return flag;
}

std::string VerificationTarget(const json& attributes, const json& pending, std::string_view name) {
  std::string target = StringAt(pending, name);
  return target.empty() ? StringAt(attributes, name) : target;
}

AttributeUpdatePlan PlanAttributeUpdate(const json& attributes, const json& pending, const json& writes,
                                        const json& auto_verified, const json& verify_before_update) {
  AttributeUpdatePlan plan;
  plan.attributes = attributes.is_object() ? attributes : json::object();
  plan.pending = pending.is_object() ? pending : json::object();
  json& attrs = plan.attributes;

  // Everything but the verifiable attributes and their flags: set, or delete when empty.
  for (auto it = writes.begin(); it != writes.end(); ++it) {
    const std::string& name = it.key();
    if (IsVerifiableAttribute(name) || name == "email_verified" || name == "phone_number_verified") continue;
    const std::string value = it->get<std::string>();
    if (value.empty()) {
      attrs.erase(name);
    } else {
      attrs[name] = value;
    }
  }

  for (const char* name : kVerifiable) {
    const std::string flag = VerifiedFlagOf(name);
    const bool writes_value = writes.contains(name);
    const bool writes_flag = writes.contains(flag);
    const std::string flag_value = writes_flag ? writes[flag].get<std::string>() : std::string();
    const bool confirmed = flag_value == "true";  // an admin vouches for the value
    const bool had_pending = plan.pending.contains(name);

    if (!writes_value) {
      if (!writes_flag) continue;
      if (confirmed && had_pending) {  // the admin verifies the pending value
        ApplyVerification(attrs, plan.pending, name);
        AddOnce(plan.void_codes, name);
      } else if (flag_value.empty()) {
        attrs.erase(flag);
      } else {
        attrs[flag] = flag_value;
      }
      continue;
    }

    const std::string value = writes[name].get<std::string>();
    const std::string current = StringAt(attrs, name);
    if (value.empty()) {  // deletion takes the flag and any pending value with it
      attrs.erase(name);
      attrs.erase(flag);
      plan.pending.erase(name);
      AddOnce(plan.void_codes, name);
      continue;
    }
    if (value == current) {  // no change: a pending change is dropped, the flag only as written
      if (had_pending) {
        plan.pending.erase(name);
        AddOnce(plan.void_codes, name);
      }
      if (writes_flag) attrs[flag] = flag_value;
      continue;
    }
    AddOnce(plan.void_codes, name);  // a code sent for an earlier value no longer applies
    if (confirmed) {
      attrs[name] = value;
      attrs[flag] = "true";
      plan.pending.erase(name);
    } else if (ListHas(verify_before_update, name)) {
      plan.pending[name] = value;  // the old value and its verified state stay
      plan.send_codes.push_back(name);
    } else {
      attrs[name] = value;
      attrs[flag] = "false";
      plan.pending.erase(name);
      if (ListHas(auto_verified, name)) plan.send_codes.push_back(name);
    }
  }
  // A code about to be sent replaces the outstanding one rather than voiding it.
  plan.void_codes.erase(std::remove_if(plan.void_codes.begin(), plan.void_codes.end(),
                                       [&](const std::string& n) {
                                         return std::find(plan.send_codes.begin(), plan.send_codes.end(), n) !=
                                                plan.send_codes.end();
                                       }),
                        plan.void_codes.end());
  return plan;
}

void ApplyVerification(json& attributes, json& pending, std::string_view name) {
  const std::string key(name);
  if (pending.is_object() && pending.contains(key)) {
    attributes[key] = pending[key];
    pending.erase(key);
  }
  attributes[VerifiedFlagOf(name)] = "true";
}

}  // namespace cogemu::idp::rules
