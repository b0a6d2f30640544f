#include "emulator/idp/common.h"

#include "emulator/api/error.h"
#include "emulator/crypto/hash.h"
#include "emulator/crypto/password.h"
#include "emulator/idp/outbox.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/rules/masking.h"

namespace cogemu::idp {
namespace {

bool Contains(const json& list, std::string_view value) {
  if (!list.is_array()) return false;
  for (const auto& v : list) {
    if (v == value) return true;
  }
  return false;
}

}  // namespace

ClientAndPool RequireClientAndPool(const api::Context& ctx, const std::string& client_id) {
  auto client = FindClient(ctx.txn, client_id);
  if (!client) throw errors::UserPoolClientNotFound(client_id);
  auto pool = FindPool(ctx.txn, (*client)["UserPoolId"].get<std::string>());
  if (!pool) throw errors::UserPoolClientNotFound(client_id);
  return ClientAndPool{*client, (*pool)["pool"]};
}

void CheckSecretHash(const json& client, const std::optional<std::string>& secret_hash,
                     std::initializer_list<std::string_view> usernames) {
  auto secret = client.find("ClientSecret");
  if (secret == client.end() || !secret->is_string()) return;
  const std::string client_id = client["ClientId"];
  if (!secret_hash || secret_hash->empty()) {
    throw errors::NotAuthorized("Client " + client_id +
                                " is configured with secret but SECRET_HASH was not received");
  }
  for (std::string_view name : usernames) {
    if (name.empty()) continue;
    const std::string expected = crypto::SecretHash(secret->get<std::string>(), name, client_id);
    if (crypto::ConstantTimeEquals(expected, *secret_hash)) return;
  }
  throw errors::NotAuthorized("Unable to verify secret hash for client " + client_id);
}

bool HidesUserExistence(const json& client) {
  return client.value("PreventUserExistenceErrors", "LEGACY") == "ENABLED";
}

std::string NewCode(Random& random) { return random.FromAlphabet(alphabet::kDigits, 6); }

void SetCode(json& record, const std::string& purpose, const std::string& code, int64_t expires,
             const std::string& attribute) {
  json entry = {{"code", code}, {"expires", expires}};
  if (!attribute.empty()) entry["attribute"] = attribute;
  record["Codes"][purpose] = entry;
}

json ConsumeCode(json& record, const std::string& purpose, const std::string& code, int64_t now,
                 int max_failures) {
  auto codes = record.find("Codes");
  if (codes == record.end() || !codes->contains(purpose)) {
    throw ApiError("ExpiredCodeException", "Invalid code provided, please request a code again.");
  }
  json& entry = (*codes)[purpose];
  const int64_t failures = entry.value("failures", int64_t{0});
  if (max_failures > 0 && failures >= max_failures) {
    throw errors::LimitExceeded("Attempt limit exceeded, please try after some time.");
  }
  if (entry["expires"].get<int64_t>() <= now) {
    throw ApiError("ExpiredCodeException", "Invalid code provided, please request a code again.");
  }
  if (!crypto::ConstantTimeEquals(entry["code"].get<std::string>(), code)) {
    entry["failures"] = failures + 1;
    throw ApiError("CodeMismatchException", "Invalid verification code provided, please try again.");
  }
  json used = entry;
  codes->erase(purpose);
  return used;
}

Delivery DeliveryTo(const std::string& attribute, const std::string& destination) {
  Delivery d;
  d.attribute = attribute;
  d.medium = attribute == "phone_number" ? "SMS" : "EMAIL";
  d.destination = destination;
  d.details = {{"AttributeName", attribute},
               {"DeliveryMedium", d.medium},
               {"Destination", rules::MaskDestination(attribute, destination)}};
  return d;
}

void SendCode(api::Context& ctx, const json& pool, UserRef& user, const Delivery& delivery,
              const std::string& purpose, int64_t lifetime_seconds, const std::string& reason) {
  const std::string code = NewCode(ctx.random);
  SetCode(user.record, purpose, code, ctx.clock.NowSeconds() + lifetime_seconds, delivery.attribute);
  SendMessage(ctx, OutboundMessage{pool["Id"], user.record["Username"], delivery.destination, delivery.medium,
                                   reason, code, std::nullopt});
}

std::optional<Delivery> AutoVerifyDelivery(const json& pool, const json& record) {
  const json verified = pool.value("AutoVerifiedAttributes", json::array());
  const json& attrs = record["Attributes"];
  for (const char* name : {"phone_number", "email"}) {
    if (Contains(verified, name) && attrs.contains(name)) {
      return DeliveryTo(name, attrs[name].get<std::string>());
    }
  }
  return std::nullopt;
}

void CountHourlyAttempt(json& record, const std::string& key, int per_hour, int64_t now, const ApiError* error) {
  constexpr int64_t kHourSeconds = 3600;
  json recent = json::array();
  for (const json& t : record.value(key, json::array())) {
    if (t.is_number_integer() && now - t.get<int64_t>() < kHourSeconds) recent.push_back(t);
  }
  if (static_cast<int>(recent.size()) >= per_hour) {
    if (error) throw *error;
    throw errors::LimitExceeded("Attempt limit exceeded, please try after some time.");
  }
  recent.push_back(now);
  record[key] = recent;
}

void TakeAliasFromOthers(api::Context& ctx, const json& pool, const UserRef& user, const std::string& attribute) {
  const std::string value = user.record["Attributes"].value(attribute, "");
  if (value.empty()) return;
  auto holder = FindUserForSignIn(ctx.txn, pool, value);
  if (!holder || holder->key == user.key) return;
  const std::string held = holder->record["Attributes"].value(attribute, "");
  if (UserKey(pool, held) != UserKey(pool, value)) return;  // matched by username or another alias
  const json previous = holder->record;
  holder->record["Attributes"][attribute + "_verified"] = "false";
  PutUser(ctx, pool, *holder, &previous);
}

}  // namespace cogemu::idp
