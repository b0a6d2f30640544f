#include "emulator/api/context.h"

#include "emulator/crypto/hash.h"

namespace cogemu::api {

std::string Context::Slow(std::string_view kind, std::initializer_list<std::string_view> inputs,
                          const std::function<std::string()>& compute) {
  if (!slow_results) return compute();
  // The key: `kind`, then a digest of the length-prefixed inputs (passwords never sit in it).
  std::string material;
  for (std::string_view in : inputs) {
    material += std::to_string(in.size());
    material += ':';
    material.append(in.data(), in.size());
  }
  std::string key(kind);
  key += ':';
  key += crypto::Sha256(material);
  if (auto it = slow_results->find(key); it != slow_results->end()) return it->second;
  if (defer_slow) throw SlowWorkNeeded{std::move(key), compute};
  std::string result = compute();
  slow_results->emplace(std::move(key), result);
  return result;
}

}  // namespace cogemu::api
