#include "emulator/idp/signing_keys.h"

#include "emulator/crypto/key_reservoir.h"
#include "emulator/crypto/rsa.h"

namespace cogemu::idp {
namespace {

constexpr size_t kReservoirTarget = 4;  // two pools' worth

}  // namespace

SigningKeys::SigningKeys(std::optional<uint64_t> seed) : seed_(seed) {}
SigningKeys::~SigningKeys() = default;

crypto::KeyReservoir& SigningKeys::Reservoir() {
  std::lock_guard lock(mu_);
  if (!reservoir_) reservoir_ = std::make_unique<crypto::KeyReservoir>(kReservoirTarget, seed_);
  return *reservoir_;
}

void SigningKeys::Warm() { Reservoir(); }

std::shared_ptr<const crypto::RsaKey> SigningKeys::Parse(const std::string& pem) {
  {
    std::lock_guard lock(mu_);
    if (auto it = parsed_.find(pem); it != parsed_.end()) return it->second;
  }
  auto key = crypto::RsaKey::FromPem(pem);
  std::lock_guard lock(mu_);
  return parsed_.emplace(pem, key).first->second;
}

std::optional<PoolKeyPair> SigningKeys::Find(const store::Txn& txn, const std::string& pool_id) {
  auto record = txn.GetJson(store::Table::kPoolKeys, store::keys::Tuple({pool_id}));
  if (!record) return std::nullopt;
  return PoolKeyPair{Parse((*record)["id"].get<std::string>()),
                     Parse((*record)["access"].get<std::string>())};
}

PoolKeyPair SigningKeys::Ensure(store::Txn& txn, const std::string& pool_id) {
  if (auto existing = Find(txn, pool_id)) return *existing;
  // A speculative transaction could not keep them: take no keys it would waste.
  if (!txn.writable()) throw store::SpeculativeWrite{};
  crypto::KeyReservoir& reservoir = Reservoir();
  auto id = reservoir.Take();
  auto access = reservoir.Take();
  {
    std::lock_guard lock(mu_);
    parsed_.emplace(id->private_pem(), id);
    parsed_.emplace(access->private_pem(), access);
  }
  txn.PutJson(store::Table::kPoolKeys, store::keys::Tuple({pool_id}),
              nlohmann::json{{"id", id->private_pem()}, {"access", access->private_pem()}});
  return PoolKeyPair{id, access};
}

}  // namespace cogemu::idp
