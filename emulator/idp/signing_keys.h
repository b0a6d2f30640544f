// Per-pool token signing keys. Each user pool has two RSA-2048 key pairs (one signs ID tokens,
// one access tokens, so their kids differ, as in AWS). A pool gets its pair from the key
// reservoir the first time it needs one (first token, first JWKS fetch), so creating pools stays
// fast; the pair is stored with the pool (kPoolKeys) and survives restarts. Parsed keys are
// cached by PEM, so each private key is parsed once per process. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "emulator/store/store.h"

namespace cogemu::crypto {
class RsaKey;
class KeyReservoir;
}  // namespace cogemu::crypto

namespace cogemu::idp {

struct PoolKeyPair {
  std::shared_ptr<const crypto::RsaKey> id;
  std::shared_ptr<const crypto::RsaKey> access;
};

class SigningKeys {
 public:
  // seed: passed to the reservoir so seeded runs get the same keys in the same order.
  explicit SigningKeys(std::optional<uint64_t> seed);
  ~SigningKeys();

  // The pool's keys if it has any.
  std::optional<PoolKeyPair> Find(const store::Txn& txn, const std::string& pool_id);
  // The pool's keys, creating and storing them in `txn` (which must be writable) if needed.
  PoolKeyPair Ensure(store::Txn& txn, const std::string& pool_id);
  // Starts generating keys in the background (called when a pool is created).
  void Warm();

 private:
  std::shared_ptr<const crypto::RsaKey> Parse(const std::string& pem);
  crypto::KeyReservoir& Reservoir();

  std::optional<uint64_t> seed_;
  std::mutex mu_;
  std::unique_ptr<crypto::KeyReservoir> reservoir_;
  std::unordered_map<std::string, std::shared_ptr<const crypto::RsaKey>> parsed_;  // by PEM
};

}  // namespace cogemu::idp
