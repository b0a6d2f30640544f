#include "emulator/idp/devices.h"

#include <algorithm>
#include <vector>

#include "emulator/api/error.h"
#include "emulator/api/input.h"
#include "emulator/api/pagination.h"
#include "emulator/crypto/hash.h"
#include "emulator/crypto/srp.h"
#include "emulator/idp/pools.h"
#include "emulator/idp/tokens.h"

namespace cogemu::idp {
namespace {

using api::Str;
using store::Table;
namespace keys = store::keys;

const ApiError kNoDevice = errors::ResourceNotFound("Device does not exist.");

std::string DeviceRecordKey(const std::string& pool_id, const std::string& user_key, const std::string& device_key) {
  return keys::Tuple({pool_id, user_key, device_key});
}

// Every device of `user` (all states), in device-key order.
std::vector<Device> UserDevices(const store::Txn& txn, const std::string& pool_id, const UserRef& user) {
  std::vector<Device> out;
  const std::string sub = user.record["Attributes"].value("sub", "");
  txn.Scan(Table::kDevices, keys::Prefix({pool_id, user.key}), std::nullopt,
           [&](std::string_view, std::string_view value) {
             Device d = Device::FromJson(json::from_msgpack(value.begin(), value.end()));
             if (d.sub == sub) out.push_back(std::move(d));
             return true;
           });
  return out;
}

// DeviceType as AWS returns it.
json DeviceType(const api::Context& ctx, const std::string& pool_id, const UserRef& user, const Device& d) {
  const std::string region = pool_id.substr(0, pool_id.find('_'));
  const std::string owner = user.record["Username"].get<std::string>() + "." + pool_id;
  json attrs = json::array({{{"Name", "device_status"}, {"Value", "valid"}}});
  if (!d.name.empty()) attrs.push_back({{"Name", "device_name"}, {"Value", d.name}});
  attrs.push_back({{"Name", "dev:device_arn"},
                   {"Value", "arn:aws:cognito-idp:" + region + ":" + ctx.account_id() + ":owner/" + owner +
                                 "/device/" + d.key}});
  attrs.push_back({{"Name", "dev:device_owner"}, {"Value", owner}});
  if (!d.last_ip.empty()) attrs.push_back({{"Name", "last_ip_used"}, {"Value", d.last_ip}});
  attrs.push_back(
      {{"Name", "dev:device_remembered_status"}, {"Value", d.remembered ? "remembered" : "not_remembered"}});
  attrs.push_back({{"Name", "dev:device_sdk"}, {"Value", "aws-sdk"}});
  json out = {{"DeviceKey", d.key},
              {"DeviceAttributes", attrs},
              {"DeviceCreateDate", d.created},
              {"DeviceLastModifiedDate", d.modified}};
  if (d.last_authenticated > 0) out["DeviceLastAuthenticatedDate"] = d.last_authenticated;
  return out;
}

// A page of `devices` (in key order) after the request's PaginationToken.
json DevicePage(const api::Context& ctx, const std::string& pool_id, const UserRef& user,
                const std::vector<Device>& devices, const json& in) {
  const std::string scope = "devices:" + pool_id + ":" + user.key;
  std::optional<std::string> after;
  if (auto token = api::OptStr(in, "PaginationToken")) {
    after = api::ReadPageToken(scope, *token);
    if (!after) throw errors::InvalidParameter("Invalid pagination token.");
  }
  const size_t limit = api::PageSize(in, "Limit", 60);
  json list = json::array();
  std::string last;
  bool more = false;
  for (const Device& d : devices) {
    if (after && d.key <= *after) continue;
    if (list.size() == limit) {
      more = true;
      break;
    }
    list.push_back(DeviceType(ctx, pool_id, user, d));
    last = d.key;
  }
  json out = {{"Devices", list}};
  if (more) out["PaginationToken"] = api::MakePageToken(scope, last);
  return out;
}

bool ParseRemembered(const json& in) {
  // The model's DeviceRememberedStatusType: remembered | not_remembered; absent leaves it as is
  // (callers read the current value first).
  return Str(in, "DeviceRememberedStatus") == "remembered";
}

// The signed-in user's device `key` in any state; ResourceNotFoundException otherwise.
struct Owned {
  AccessGrant grant;
  Device device;
};
Owned RequireOwnDevice(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  auto device = FindDevice(ctx.txn, grant.pool["Id"], grant.user, Str(in, "DeviceKey"));
  if (!device) throw kNoDevice;
  return Owned{std::move(grant), std::move(*device)};
}

struct AdminOwned {
  json pool;
  UserRef user;
  Device device;
};
AdminOwned RequireAdminDevice(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, Str(in, "UserPoolId"));
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  auto device = FindDevice(ctx.txn, pool["Id"], user, Str(in, "DeviceKey"));
  if (!device || !device->confirmed) throw kNoDevice;
  return AdminOwned{std::move(pool), std::move(user), std::move(*device)};
}

}  // namespace

json Device::ToJson() const {
  json j = {{"DeviceKey", key},       {"Sub", sub},           {"Confirmed", confirmed}, {"Remembered", remembered},
            {"Created", created},     {"Modified", modified}, {"LastAuthenticated", last_authenticated}};
  if (!name.empty()) j["Name"] = name;
  if (!salt.empty()) j["Salt"] = salt;
  if (!verifier.empty()) j["Verifier"] = verifier;
  if (!last_ip.empty()) j["LastIp"] = last_ip;
  return j;
}

Device Device::FromJson(const json& j) {
  Device d;
  d.key = j.value("DeviceKey", "");
  d.sub = j.value("Sub", "");
  d.confirmed = j.value("Confirmed", false);
  d.remembered = j.value("Remembered", false);
  d.name = j.value("Name", "");
  d.salt = j.value("Salt", "");
  d.verifier = j.value("Verifier", "");
  d.created = j.value("Created", 0.0);
  d.modified = j.value("Modified", 0.0);
  d.last_authenticated = j.value("LastAuthenticated", 0.0);
  d.last_ip = j.value("LastIp", "");
  return d;
}

bool TracksDevices(const json& pool) {
  auto it = pool.find("DeviceConfiguration");
  return it != pool.end() && it->is_object() && !it->empty();
}

bool RememberedDevicesSkipMfa(const json& pool) {
  auto it = pool.find("DeviceConfiguration");
  return it != pool.end() && it->is_object() && it->value("ChallengeRequiredOnNewDevice", false);
}

std::optional<Device> FindDevice(const store::Txn& txn, const std::string& pool_id, const UserRef& user,
                                 const std::string& device_key) {
  if (device_key.empty()) return std::nullopt;
  auto record = txn.GetJson(Table::kDevices, DeviceRecordKey(pool_id, user.key, device_key));
  if (!record) return std::nullopt;
  Device d = Device::FromJson(*record);
  // A device belongs to the user it was created for, not to a later user of the same name.
  if (d.sub != user.record["Attributes"].value("sub", "")) return std::nullopt;
  return d;
}

std::optional<Device> FindConfirmedDevice(const store::Txn& txn, const std::string& pool_id, const UserRef& user,
                                          const std::string& device_key) {
  auto d = FindDevice(txn, pool_id, user, device_key);
  if (!d || !d->confirmed) return std::nullopt;
  return d;
}

void PutDevice(api::Context& ctx, const std::string& pool_id, const UserRef& user, const Device& device) {
  ctx.txn.PutJson(Table::kDevices, DeviceRecordKey(pool_id, user.key, device.key), device.ToJson());
}

std::string DeviceGroupKey(api::Context& ctx, UserRef& user) {
  if (auto it = user.record.find("DeviceGroupKey"); it != user.record.end() && it->is_string()) {
    return it->get<std::string>();
  }
  const std::string key = "-" + ctx.random.FromAlphabet(alphabet::kAlnum, 9);
  user.record["DeviceGroupKey"] = key;
  return key;
}

json NewDevice(api::Context& ctx, const json& pool, UserRef& user, std::string* device_key) {
  const std::string pool_id = pool["Id"];
  Device d;
  d.key = pool_id.substr(0, pool_id.find('_')) + "_" + ctx.random.Uuid4();
  d.sub = user.record["Attributes"].value("sub", "");
  d.created = d.modified = ctx.now();
  d.last_ip = ctx.request.source_ip;
  // Unconfirmed devices pile up when clients never confirm them: keep the newest few.
  std::vector<Device> unconfirmed;
  for (Device& existing : UserDevices(ctx.txn, pool_id, user)) {
    if (!existing.confirmed) unconfirmed.push_back(std::move(existing));
  }
  if (unconfirmed.size() >= kMaxUnconfirmedDevices) {
    std::sort(unconfirmed.begin(), unconfirmed.end(),
              [](const Device& a, const Device& b) { return a.created < b.created; });
    for (size_t i = 0; i + kMaxUnconfirmedDevices <= unconfirmed.size(); ++i) {
      ctx.txn.Del(Table::kDevices, DeviceRecordKey(pool_id, user.key, unconfirmed[i].key));
    }
  }
  PutDevice(ctx, pool_id, user, d);
  *device_key = d.key;
  return {{"DeviceKey", d.key}, {"DeviceGroupKey", DeviceGroupKey(ctx, user)}};
}

void DeleteUserDevices(api::Context& ctx, const std::string& pool_id, const std::string& user_key) {
  ctx.txn.DelPrefix(Table::kDevices, keys::Prefix({pool_id, user_key}));
}

void DeletePoolDevices(api::Context& ctx, const std::string& pool_id) {
  ctx.txn.DelPrefix(Table::kDevices, keys::Prefix({pool_id}));
}

json ConfirmDevice(api::Context& ctx, const json& in) {
  Owned owned = RequireOwnDevice(ctx, in);
  Device& d = owned.device;
  if (d.confirmed) throw ApiError("DeviceKeyExistsException", "Device key already exists.");
  const json config = in.value("DeviceSecretVerifierConfig", json::object());
  const auto verifier = crypto::Base64Decode(api::Str(config, "PasswordVerifier"));
  const auto salt = crypto::Base64Decode(api::Str(config, "Salt"));
  // v must be a number in (0, N); the salt a few bytes (clients send 16, padded).
  if (!verifier || !salt || verifier->empty() || salt->empty() || salt->size() > 64 ||
      verifier->size() > crypto::srp::kModulusBytes + 1 || !crypto::srp::ValidA(*verifier) ||
      crypto::srp::ToHex(*verifier).size() > 2 * crypto::srp::kModulusBytes) {
    throw errors::InvalidParameter("Invalid DeviceSecretVerifierConfig.");
  }
  const json& pool = owned.grant.pool;
  const bool on_prompt = pool.value("DeviceConfiguration", json::object()).value("DeviceOnlyRememberedOnUserPrompt", false);
  d.confirmed = true;
  d.remembered = !on_prompt;
  d.salt = crypto::srp::ToHex(*salt);
  d.verifier = crypto::srp::ToHex(*verifier);
  d.name = Str(in, "DeviceName");
  d.modified = ctx.now();
  PutDevice(ctx, pool["Id"], owned.grant.user, d);
  return {{"UserConfirmationNecessary", on_prompt}};
}

// The user-facing calls see remembered devices only.
json GetDevice(api::Context& ctx, const json& in) {
  Owned owned = RequireOwnDevice(ctx, in);
  if (!owned.device.confirmed || !owned.device.remembered) throw kNoDevice;
  return {{"Device", DeviceType(ctx, owned.grant.pool["Id"], owned.grant.user, owned.device)}};
}

json ListDevices(api::Context& ctx, const json& in) {
  AccessGrant grant = RequireAccessToken(ctx, Str(in, "AccessToken"));
  std::vector<Device> devices = UserDevices(ctx.txn, grant.pool["Id"], grant.user);
  std::erase_if(devices, [](const Device& d) { return !d.confirmed || !d.remembered; });
  return DevicePage(ctx, grant.pool["Id"], grant.user, devices, in);
}

json ForgetDevice(api::Context& ctx, const json& in) {
  Owned owned = RequireOwnDevice(ctx, in);
  ctx.txn.Del(Table::kDevices, DeviceRecordKey(owned.grant.pool["Id"], owned.grant.user.key, owned.device.key));
  return json::object();
}

json UpdateDeviceStatus(api::Context& ctx, const json& in) {
  Owned owned = RequireOwnDevice(ctx, in);
  if (!owned.device.confirmed) throw kNoDevice;
  if (api::Has(in, "DeviceRememberedStatus")) owned.device.remembered = ParseRemembered(in);
  owned.device.modified = ctx.now();
  PutDevice(ctx, owned.grant.pool["Id"], owned.grant.user, owned.device);
  return json::object();
}

// The admin calls see every confirmed device, remembered or not (AWS's AdminGetDevice shows
// dev:device_remembered_status; that AdminListDevices lists not-remembered ones is a judgement
// call).
json AdminGetDevice(api::Context& ctx, const json& in) {
  AdminOwned owned = RequireAdminDevice(ctx, in);
  return {{"Device", DeviceType(ctx, owned.pool["Id"], owned.user, owned.device)}};
}

json AdminListDevices(api::Context& ctx, const json& in) {
  const SharedPool shared_pool = RequirePool(ctx, Str(in, "UserPoolId"));
  const json& pool = shared_pool.pool();
  UserRef user = RequireUserByAny(ctx, pool, Str(in, "Username"));
  std::vector<Device> devices = UserDevices(ctx.txn, pool["Id"], user);
  std::erase_if(devices, [](const Device& d) { return !d.confirmed; });
  return DevicePage(ctx, pool["Id"], user, devices, in);
}

json AdminForgetDevice(api::Context& ctx, const json& in) {
  AdminOwned owned = RequireAdminDevice(ctx, in);
  ctx.txn.Del(Table::kDevices, DeviceRecordKey(owned.pool["Id"], owned.user.key, owned.device.key));
  return json::object();
}

json AdminUpdateDeviceStatus(api::Context& ctx, const json& in) {
  AdminOwned owned = RequireAdminDevice(ctx, in);
  if (api::Has(in, "DeviceRememberedStatus")) owned.device.remembered = ParseRemembered(in);
  owned.device.modified = ctx.now();
  PutDevice(ctx, owned.pool["Id"], owned.user, owned.device);
  return json::object();
}

}  // namespace cogemu::idp
