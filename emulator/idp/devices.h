// Remembered devices (device tracking), as a pool's DeviceConfiguration turns them on: a sign-in
// that did not authenticate a known device gets NewDeviceMetadata and an unconfirmed device;
// ConfirmDevice stores the device's SRP salt and verifier (the client keeps the device password);
// later sign-ins prove the device with DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER.
//
// Device record (store::Table::kDevices, key (pool_id, username_key, device_key)):
//   {"DeviceKey": "<region>_<uuid>", "Sub": the owner's sub, "Confirmed": bool,
//    "Remembered": bool, "Name": DeviceName, "Salt": hex, "Verifier": hex (SRP v of the device),
//    "Created", "Modified", "LastAuthenticated": epoch s, "LastIp": string}
// The user's DeviceGroupKey (the device SRP "pool name") is on the user record, "DeviceGroupKey".
// At most kMaxUnconfirmedDevices unconfirmed devices are kept per user (the oldest go first).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "emulator/api/context.h"
#include "emulator/idp/users.h"

namespace cogemu::idp {

using json = nlohmann::json;

inline constexpr size_t kMaxUnconfirmedDevices = 20;

struct Device {
  std::string key;
  std::string sub;
  bool confirmed = false;
  bool remembered = false;
  std::string name;
  std::string salt;      // hex
  std::string verifier;  // hex
  double created = 0;
  double modified = 0;
  double last_authenticated = 0;
  std::string last_ip;

  json ToJson() const;
  static Device FromJson(const json& j);
};

// True when the pool tracks devices (its DeviceConfiguration has any member).
bool TracksDevices(const json& pool);
// The pool's ChallengeRequiredOnNewDevice: a remembered device then signs in without MFA.
bool RememberedDevicesSkipMfa(const json& pool);

std::optional<Device> FindDevice(const store::Txn& txn, const std::string& pool_id, const UserRef& user,
                                 const std::string& device_key);
// A confirmed device of `user` (the only kind a client can present).
std::optional<Device> FindConfirmedDevice(const store::Txn& txn, const std::string& pool_id, const UserRef& user,
                                          const std::string& device_key);
void PutDevice(api::Context& ctx, const std::string& pool_id, const UserRef& user, const Device& device);

// The user's DeviceGroupKey, drawn and set on `user.record` the first time (the caller writes it).
std::string DeviceGroupKey(api::Context& ctx, UserRef& user);
// A new unconfirmed device for `user` (stored); returns NewDeviceMetadata. Sets the group key on
// `user.record` when it had none (the caller writes the record).
json NewDevice(api::Context& ctx, const json& pool, UserRef& user, std::string* device_key);

// Removes a user's devices (DeleteUser); a pool's go with DeletePoolDevices.
void DeleteUserDevices(api::Context& ctx, const std::string& pool_id, const std::string& user_key);
void DeletePoolDevices(api::Context& ctx, const std::string& pool_id);

// Handlers (see api/operations.cc).
json ConfirmDevice(api::Context& ctx, const json& in);
json GetDevice(api::Context& ctx, const json& in);
json ListDevices(api::Context& ctx, const json& in);
json ForgetDevice(api::Context& ctx, const json& in);
json UpdateDeviceStatus(api::Context& ctx, const json& in);
json AdminGetDevice(api::Context& ctx, const json& in);
json AdminListDevices(api::Context& ctx, const json& in);
json AdminForgetDevice(api::Context& ctx, const json& in);
json AdminUpdateDeviceStatus(api::Context& ctx, const json& in);

}  // namespace cogemu::idp
