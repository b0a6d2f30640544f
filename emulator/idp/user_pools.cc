// User-pool handlers: create, describe, update, delete, list, custom attributes, tags and the
// pool's MFA configuration.
#include <algorithm>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/api/pagination.h"
#include "emulator/crypto/hash.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/rules/schema.h"
#include "emulator/idp/signing_keys.h"
#include "emulator/idp/tokens.h"
#include "emulator/idp/users.h"
#include "emulator/store/decoded_cache.h"

namespace cogemu::idp {
namespace {

using api::Bool;
using api::Find;
using api::Has;
using api::Str;
using store::Table;
namespace keys = store::keys;

constexpr size_t kPoolSuffixLength = 9;

json DefaultPasswordPolicy() {
  return {{"MinimumLength", 8},
          {"RequireUppercase", true},
          {"RequireLowercase", true},
          {"RequireNumbers", true},
          {"RequireSymbols", true},
          {"TemporaryPasswordValidityDays", 7}};
}

json BuildPolicies(const json* in) {
  json policies = {{"PasswordPolicy", DefaultPasswordPolicy()},
                   {"SignInPolicy", {{"AllowedFirstAuthFactors", json::array({"PASSWORD"})}}}};
  if (!in) return policies;
  if (const json* pp = Find(*in, "PasswordPolicy")) {
    json p = {{"MinimumLength", api::Int(*pp, "MinimumLength", 8)},
              {"RequireUppercase", Bool(*pp, "RequireUppercase", false)},
              {"RequireLowercase", Bool(*pp, "RequireLowercase", false)},
              {"RequireNumbers", Bool(*pp, "RequireNumbers", false)},
              {"RequireSymbols", Bool(*pp, "RequireSymbols", false)}};
    if (Has(*pp, "PasswordHistorySize")) p["PasswordHistorySize"] = (*pp)["PasswordHistorySize"];
    int64_t days = api::Int(*pp, "TemporaryPasswordValidityDays", 7);
    p["TemporaryPasswordValidityDays"] = days == 0 ? 7 : days;
    policies["PasswordPolicy"] = p;
  }
  if (const json* sp = Find(*in, "SignInPolicy")) {
    json s = api::WithoutNulls(*sp);
    if (!Has(s, "AllowedFirstAuthFactors")) s["AllowedFirstAuthFactors"] = json::array({"PASSWORD"});
    const auto& factors = s["AllowedFirstAuthFactors"];
    if (std::find(factors.begin(), factors.end(), "PASSWORD") == factors.end()) {
      throw errors::InvalidParameter("The PASSWORD factor must be allowed in AllowedFirstAuthFactors.");
    }
    policies["SignInPolicy"] = s;
  }
  return policies;
}

// What the pool's UserPoolTier does not include: factors beyond PASSWORD (choice-based sign-in)
// on LITE, threat protection below PLUS. The feature labels other than "Threat Protection"
// (observed) are unconfirmed.
void CheckTier(const json& pool) {
  const std::string tier = pool.value("UserPoolTier", "ESSENTIALS");
  const json factors = pool["Policies"]["SignInPolicy"].value("AllowedFirstAuthFactors", json::array());
  if (tier == "LITE" && std::any_of(factors.begin(), factors.end(), [](const json& f) { return f != "PASSWORD"; })) {
    throw errors::FeatureUnavailableInTier(tier, "Choice-based sign-in");
  }
  const json addons = pool.value("UserPoolAddOns", json::object());
  const std::string mode = addons.is_object() ? addons.value("AdvancedSecurityMode", "OFF") : "OFF";
  if (tier != "PLUS" && mode != "OFF") throw errors::FeatureUnavailableInTier(tier, "Threat Protection");
}

// The settings CreateUserPool and UpdateUserPool both take. AWS's UpdateUserPool resets any
// setting the request leaves out to its default, so both start from the defaults.
void ApplySettings(json& pool, const json& in) {
  pool["Policies"] = BuildPolicies(Find(in, "Policies"));
  pool["DeletionProtection"] = Str(in, "DeletionProtection", "INACTIVE");
  pool["LambdaConfig"] = Has(in, "LambdaConfig") ? api::WithoutNulls(in["LambdaConfig"]) : json::object();
  pool["MfaConfiguration"] = Str(in, "MfaConfiguration", "OFF");

  json template_ = Has(in, "VerificationMessageTemplate")
                       ? api::WithoutNulls(in["VerificationMessageTemplate"])
                       : json::object();
  if (!Has(template_, "DefaultEmailOption")) template_["DefaultEmailOption"] = "CONFIRM_WITH_CODE";
  // The legacy top-level messages and the template mirror each other, as in AWS.
  if (Has(in, "EmailVerificationMessage") && !Has(template_, "EmailMessage"))
    template_["EmailMessage"] = in["EmailVerificationMessage"];
  if (Has(in, "EmailVerificationSubject") && !Has(template_, "EmailSubject"))
    template_["EmailSubject"] = in["EmailVerificationSubject"];
  if (Has(in, "SmsVerificationMessage") && !Has(template_, "SmsMessage"))
    template_["SmsMessage"] = in["SmsVerificationMessage"];
  pool["VerificationMessageTemplate"] = template_;
  for (const char* legacy : {"EmailVerificationMessage", "EmailVerificationSubject",
                             "SmsVerificationMessage", "SmsAuthenticationMessage"}) {
    pool.erase(legacy);
    if (Has(in, legacy)) pool[legacy] = in[legacy];
  }
  if (Has(template_, "EmailMessage") && !Has(pool, "EmailVerificationMessage"))
    pool["EmailVerificationMessage"] = template_["EmailMessage"];
  if (Has(template_, "EmailSubject") && !Has(pool, "EmailVerificationSubject"))
    pool["EmailVerificationSubject"] = template_["EmailSubject"];
  if (Has(template_, "SmsMessage") && !Has(pool, "SmsVerificationMessage"))
    pool["SmsVerificationMessage"] = template_["SmsMessage"];

  json uaus = Has(in, "UserAttributeUpdateSettings") ? api::WithoutNulls(in["UserAttributeUpdateSettings"])
                                                     : json::object();
  if (!Has(uaus, "AttributesRequireVerificationBeforeUpdate"))
    uaus["AttributesRequireVerificationBeforeUpdate"] = json::array();
  pool["UserAttributeUpdateSettings"] = uaus;

  json email = Has(in, "EmailConfiguration") ? api::WithoutNulls(in["EmailConfiguration"]) : json::object();
  if (!Has(email, "EmailSendingAccount")) email["EmailSendingAccount"] = "COGNITO_DEFAULT";
  pool["EmailConfiguration"] = email;

  json acuc = Has(in, "AdminCreateUserConfig") ? api::WithoutNulls(in["AdminCreateUserConfig"]) : json::object();
  if (!Has(acuc, "AllowAdminCreateUserOnly")) acuc["AllowAdminCreateUserOnly"] = false;
  if (!Has(acuc, "UnusedAccountValidityDays")) {
    acuc["UnusedAccountValidityDays"] = pool["Policies"]["PasswordPolicy"]["TemporaryPasswordValidityDays"];
  }
  pool["AdminCreateUserConfig"] = acuc;

  for (const char* optional : {"AutoVerifiedAttributes", "DeviceConfiguration", "SmsConfiguration",
                               "UserPoolAddOns", "AccountRecoverySetting"}) {
    pool.erase(optional);
    if (Has(in, optional)) pool[optional] = api::WithoutNulls(in[optional]);
  }
  pool["UserPoolTier"] = Str(in, "UserPoolTier", "ESSENTIALS");

  const std::string mfa = pool["MfaConfiguration"];
  if (mfa != "OFF" && !Has(pool, "SmsConfiguration")) {
    throw errors::InvalidParameter(
        "SMS configuration and Auto verification for phone_number are required when MFA is "
        "required/optional");
  }
  CheckTier(pool);
}

json Describe(const api::Context& ctx, const json& record) {
  json pool = record["pool"];
  pool["EstimatedNumberOfUsers"] = CountUsers(ctx.txn, pool["Id"].get<std::string>());
  return pool;
}

std::string NewPoolId(const api::Context& ctx) {
  for (;;) {
    std::string id = ctx.region() + "_" + ctx.random.FromAlphabet(alphabet::kAlnum, kPoolSuffixLength);
    if (!ctx.txn.Has(Table::kUserPools, keys::Tuple({id}))) return id;
  }
}

// "arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>" -> pool id.
std::string PoolIdFromArn(const std::string& arn) {
  const std::string marker = ":userpool/";
  const size_t at = arn.find(marker);
  if (arn.rfind("arn:", 0) != 0 || at == std::string::npos) {
    throw errors::InvalidParameter("Invalid ARN: " + arn);
  }
  return arn.substr(at + marker.size());
}

json RequirePoolByArn(const api::Context& ctx, const std::string& arn) {
  const std::string id = PoolIdFromArn(arn);
  auto record = FindPool(ctx.txn, id);
  if (!record || (*record)["pool"].value("Arn", "") != arn) {
    throw errors::ResourceNotFound("Resource " + arn + " does not exist.");
  }
  return *record;
}

}  // namespace

std::shared_ptr<const json> FindPool(const store::Txn& txn, const std::string& pool_id) {
  auto raw = txn.Get(Table::kUserPools, keys::Tuple({pool_id}));
  if (!raw) return nullptr;
  thread_local store::DecodedCache decoded(16);
  return decoded.Get(pool_id, *raw);
}

SharedPool RequirePool(const api::Context& ctx, const std::string& pool_id) {
  auto record = FindPool(ctx.txn, pool_id);
  if (!record) throw errors::UserPoolNotFound(pool_id);
  return SharedPool(std::move(record));
}

void SavePool(api::Context& ctx, const json& record) {
  const std::string key = keys::Tuple({record["pool"]["Id"].get<std::string>()});
  ctx.txn.PutJson(Table::kUserPools, key, record);
  ctx.txn.Put(Table::kPoolViews, key, record["pool"].dump());
}

std::string PoolArn(const api::Context& ctx, const std::string& pool_id) {
  const std::string region = pool_id.substr(0, pool_id.find('_'));
  return "arn:aws:cognito-idp:" + region + ":" + ctx.account_id() + ":userpool/" + pool_id;
}

json CreateUserPool(api::Context& ctx, const json& in) {
  if (Has(in, "UsernameAttributes") && Has(in, "AliasAttributes")) {
    throw errors::InvalidParameter(
        "Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.");
  }
  std::string id;
  if (ctx.fixture && Has(in, "Id")) {
    id = Str(in, "Id");
    const size_t us = id.find('_');
    if (us == std::string::npos || us == 0 || us + 1 == id.size() ||
        id.find_first_not_of(alphabet::kAlnum, us + 1) != std::string::npos) {
      throw errors::InvalidParameter("Id must look like <region>_<alphanumerics>, e.g. us-east-1_Example1.");
    }
    if (ctx.txn.Has(Table::kUserPools, keys::Tuple({id}))) {
      throw errors::InvalidParameter("User pool " + id + " already exists.");
    }
  } else {
    id = NewPoolId(ctx);
  }
  const double now = ctx.now();
  json pool = {{"Id", id}, {"Name", in["PoolName"]}};
  ApplySettings(pool, in);
  pool["SchemaAttributes"] = rules::BuildSchema(Has(in, "Schema") ? in["Schema"] : json::array());
  for (const char* fixed : {"AliasAttributes", "UsernameAttributes"}) {
    if (Has(in, fixed)) pool[fixed] = in[fixed];
  }
  pool["UsernameConfiguration"] =
      Has(in, "UsernameConfiguration") ? api::WithoutNulls(in["UsernameConfiguration"])
                                       : json{{"CaseSensitive", true}};
  if (!Has(pool["UsernameConfiguration"], "CaseSensitive")) pool["UsernameConfiguration"]["CaseSensitive"] = true;
  pool["UserPoolTags"] = Has(in, "UserPoolTags") ? in["UserPoolTags"] : json::object();
  pool["CreationDate"] = now;
  pool["LastModifiedDate"] = now;
  pool["Arn"] = PoolArn(ctx, id);
  json record = {{"pool", pool}, {"mfa", json::object()},
                 // For sign-ins of users who do not exist (PreventUserExistenceErrors): what they are
                 // shown is derived from it, stable and unguessable (idp/sign_in.h).
                 {"secret", crypto::HexEncode(ctx.random.Bytes(32))}};
  SavePool(ctx, record);
  if (ctx.services.signing_keys) ctx.services.signing_keys->Warm();
  return {{"UserPool", Describe(ctx, record)}};
}

json DescribeUserPool(api::Context& ctx, const json& in) {
  const std::string id = in["UserPoolId"];
  // Hot path: splice the user count into the stored JSON text, no decoding.
  auto view = ctx.txn.Get(Table::kPoolViews, keys::Tuple({id}));
  if (view && view->size() > 2 && view->back() == '}') {
    std::string body = "{\"UserPool\":";
    body.append(view->data(), view->size() - 1);
    body += ",\"EstimatedNumberOfUsers\":" + std::to_string(CountUsers(ctx.txn, id)) + "}}";
    ctx.raw_output = std::move(body);
    return json::object();
  }
  return {{"UserPool", Describe(ctx, RequirePool(ctx, id))}};
}

json UpdateUserPool(api::Context& ctx, const json& in) {
  json record = RequirePool(ctx, in["UserPoolId"]);
  json& pool = record["pool"];
  ApplySettings(pool, in);
  if (Has(in, "PoolName")) pool["Name"] = in["PoolName"];
  if (Has(in, "UserPoolTags")) pool["UserPoolTags"] = in["UserPoolTags"];
  pool["LastModifiedDate"] = ctx.now();
  SavePool(ctx, record);
  return json::object();
}

json DeleteUserPool(api::Context& ctx, const json& in) {
  const std::string id = in["UserPoolId"];
  json record = RequirePool(ctx, id);
  if (record["pool"].value("DeletionProtection", "INACTIVE") == "ACTIVE") {
    throw errors::InvalidParameter(
        "The user pool cannot be deleted because deletion protection is activated.");
  }
  std::vector<std::string> clients;
  ctx.txn.Scan(Table::kPoolClients, keys::Prefix({id}), std::nullopt,
               [&](std::string_view key, std::string_view) {
                 clients.push_back(keys::Split(key).at(1));
                 return true;
               });
  for (const auto& client_id : clients) ctx.txn.Del(Table::kClients, keys::Tuple({client_id}));
  ctx.txn.DelPrefix(Table::kPoolClients, keys::Prefix({id}));
  DeletePoolUsers(ctx, id);
  DeletePoolTokens(ctx, id);
  // Its challenge sessions die with it (they name the pool) and are swept when they expire.
  ctx.txn.Del(Table::kUserPools, keys::Tuple({id}));
  ctx.txn.Del(Table::kPoolViews, keys::Tuple({id}));
  return json::object();
}

json ListUserPools(api::Context& ctx, const json& in) {
  json pools = json::array();
  auto next = api::ScanPage(ctx.txn, Table::kUserPools, "", "pools", api::OptStr(in, "NextToken"),
                            static_cast<size_t>(api::Int(in, "MaxResults", 60)),
                            [&](std::string_view, std::string_view value) {
                              json record = json::from_msgpack(value.begin(), value.end());
                              const json& p = record["pool"];
                              pools.push_back({{"Id", p["Id"]},
                                               {"Name", p["Name"]},
                                               {"LambdaConfig", p.value("LambdaConfig", json::object())},
                                               {"Status", "Enabled"},
                                               {"LastModifiedDate", p["LastModifiedDate"]},
                                               {"CreationDate", p["CreationDate"]}});
                            });
  json out = {{"UserPools", pools}};
  if (next) out["NextToken"] = *next;
  return out;
}

json AddCustomAttributes(api::Context& ctx, const json& in) {
  json record = RequirePool(ctx, in["UserPoolId"]);
  rules::AddCustomAttributes(record["pool"]["SchemaAttributes"], in["CustomAttributes"]);
  record["pool"]["LastModifiedDate"] = ctx.now();
  SavePool(ctx, record);
  return json::object();
}

json TagResource(api::Context& ctx, const json& in) {
  json record = RequirePoolByArn(ctx, in["ResourceArn"]);
  json& tags = record["pool"]["UserPoolTags"];
  if (!tags.is_object()) tags = json::object();
  for (auto it = in["Tags"].begin(); it != in["Tags"].end(); ++it) tags[it.key()] = it.value();
  if (tags.size() > 50) throw errors::LimitExceeded("A resource can have at most 50 tags.");
  SavePool(ctx, record);
  return json::object();
}

json UntagResource(api::Context& ctx, const json& in) {
  json record = RequirePoolByArn(ctx, in["ResourceArn"]);
  json& tags = record["pool"]["UserPoolTags"];
  if (Has(in, "TagKeys")) {
    for (const auto& key : in["TagKeys"]) tags.erase(key.get<std::string>());
  }
  SavePool(ctx, record);
  return json::object();
}

json ListTagsForResource(api::Context& ctx, const json& in) {
  json record = RequirePoolByArn(ctx, in["ResourceArn"]);
  return {{"Tags", record["pool"].value("UserPoolTags", json::object())}};
}

json GetUserPoolMfaConfig(api::Context& ctx, const json& in) {
  json record = RequirePool(ctx, in["UserPoolId"]);
  json out = record.value("mfa", json::object());
  out["MfaConfiguration"] = record["pool"].value("MfaConfiguration", "OFF");
  return out;
}

// Validated as AWS validates it: MFA OFF with a factor configured, ON or OPTIONAL with none,
// e-mail MFA below the ESSENTIALS tier or without SES (EmailSendingAccount DEVELOPER), SMS MFA
// without an SMS configuration. TOTP alone needs no SMS setup here (unlike the pool's own
// MfaConfiguration member in Create/UpdateUserPool).
json SetUserPoolMfaConfig(api::Context& ctx, const json& in) {
  json record = RequirePool(ctx, in["UserPoolId"]);
  json& mfa = record["mfa"];
  json& pool = record["pool"];
  const std::string level = Str(in, "MfaConfiguration", pool.value("MfaConfiguration", "OFF"));
  if (level == "OFF" && (Has(in, "SmsMfaConfiguration") || Has(in, "SoftwareTokenMfaConfiguration") ||
                         Has(in, "EmailMfaConfiguration"))) {
    throw errors::InvalidParameter("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  }
  for (const char* member : {"SmsMfaConfiguration", "SoftwareTokenMfaConfiguration",
                             "EmailMfaConfiguration", "WebAuthnConfiguration"}) {
    if (Has(in, member)) mfa[member] = api::WithoutNulls(in[member]);
  }
  if (Has(in, "EmailMfaConfiguration")) {
    const std::string tier = pool.value("UserPoolTier", "ESSENTIALS");
    if (tier == "LITE") throw errors::FeatureUnavailableInTier(tier, "Email MFA");
    if (pool.value("EmailConfiguration", json::object()).value("EmailSendingAccount", "COGNITO_DEFAULT") !=
        "DEVELOPER") {
      // Unconfirmed wording; the requirement is AWS's.
      throw errors::InvalidParameter(
          "Email MFA requires the user pool to send email with Amazon SES (EmailSendingAccount DEVELOPER).");
    }
  }
  if (const json* sms = Find(in, "SmsMfaConfiguration")) {
    if (Has(*sms, "SmsConfiguration")) pool["SmsConfiguration"] = (*sms)["SmsConfiguration"];
    if (Has(*sms, "SmsAuthenticationMessage"))
      pool["SmsAuthenticationMessage"] = (*sms)["SmsAuthenticationMessage"];
    if (!Has(pool, "SmsConfiguration")) {
      // Unconfirmed wording.
      throw errors::InvalidParameter("SMS MFA requires an SmsConfiguration for the user pool.");
    }
  }
  if (level != "OFF") {
    const bool sms = Has(mfa, "SmsMfaConfiguration") && Has(pool, "SmsConfiguration");
    const bool totp = Bool(mfa.value("SoftwareTokenMfaConfiguration", json::object()), "Enabled", false);
    const bool email = Has(mfa, "EmailMfaConfiguration");
    if (!sms && !totp && !email) {
      throw errors::InvalidParameter(
          "Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.");
    }
  } else {
    // OFF: the factors go with it (a later OPTIONAL or ON sets them again).
    mfa.erase("SmsMfaConfiguration");
    mfa.erase("SoftwareTokenMfaConfiguration");
    mfa.erase("EmailMfaConfiguration");
  }
  pool["MfaConfiguration"] = level;
  pool["LastModifiedDate"] = ctx.now();
  SavePool(ctx, record);
  json out = mfa;
  out["MfaConfiguration"] = level;
  return out;
}

}  // namespace cogemu::idp
