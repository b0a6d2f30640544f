// A test-side SRP client (what amazon-cognito-identity-js computes) for driving USER_SRP_AUTH,
// DEVICE_SRP_AUTH and ConfirmDevice through the dispatcher.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "emulator/crypto/hash.h"
#include "emulator/crypto/srp.h"
#include "emulator/random.h"

namespace cogemu::testing {

struct SrpClient {
  std::string a;
  std::string A_hex;

  explicit SrpClient(Random& random) : a(random.Bytes(32)), A_hex(crypto::srp::ToHex(crypto::srp::client::A(a))) {}

  // PASSWORD_CLAIM_SIGNATURE (base64) for a PASSWORD_VERIFIER / DEVICE_PASSWORD_VERIFIER
  // challenge's parameters; `pool_name` is the part of the pool id after '_' (or the
  // DeviceGroupKey), `user_id` USER_ID_FOR_SRP (or the DeviceKey).
  std::string Signature(const nlohmann::json& params, const std::string& pool_name, const std::string& user_id,
                        const std::string& password, const std::string& timestamp) const {
    const std::string salt = *crypto::srp::FromHex(params["SALT"].get<std::string>());
    const std::string B = *crypto::srp::FromHex(params["SRP_B"].get<std::string>());
    const std::string inner = crypto::srp::PasswordInner(pool_name, user_id, password);
    const std::string key = *crypto::srp::client::Key(a, B, salt, inner);
    const std::string block = *crypto::Base64Decode(params["SECRET_BLOCK"].get<std::string>());
    return crypto::Base64Encode(crypto::srp::Signature(key, pool_name, user_id, block, timestamp));
  }
};

// DeviceSecretVerifierConfig for ConfirmDevice, as the clients make it: a 16-byte salt and
// v = g^x with x from (DeviceGroupKey, DeviceKey, device password).
inline nlohmann::json DeviceVerifierConfig(const std::string& group_key, const std::string& device_key,
                                           const std::string& device_password, const std::string& salt) {
  const std::string v =
      crypto::srp::Verifier(salt, crypto::srp::PasswordInner(group_key, device_key, device_password));
  return {{"PasswordVerifier", crypto::Base64Encode(crypto::srp::Pad(v))},
          {"Salt", crypto::Base64Encode(crypto::srp::Pad(salt))}};
}

}  // namespace cogemu::testing
