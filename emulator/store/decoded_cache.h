// Records decoded once per thread and shared while their stored bytes are unchanged: equal
// bytes give the same record whatever happened in between (updates, reset, restore), so the
// cache needs no invalidation. Nearly every call reads its pool and app client, and decoding
// them (a pool's schema above all), or even copying the decoded value, costs more than sharing
// it. A record handed out stays valid while its holder keeps it, even after the cache replaced
// it. Not thread-safe: use one per thread (thread_local).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cogemu::store {

class DecodedCache {
 public:
  explicit DecodedCache(size_t capacity) : capacity_(capacity) {}

  // The MessagePack record `bytes` stored under `key`, decoded (from the cache when the same
  // bytes were decoded before).
  std::shared_ptr<const nlohmann::json> Get(std::string_view key, std::string_view bytes) {
    if (entries_.size() > capacity_) entries_.clear();  // tests create records by the thousand
    Entry& slot = entries_[std::string(key)];
    if (!slot.record || slot.bytes != bytes) {
      slot.record = std::make_shared<const nlohmann::json>(nlohmann::json::from_msgpack(bytes.begin(), bytes.end()));
      slot.bytes.assign(bytes.data(), bytes.size());
    }
    return slot.record;
  }

 private:
  struct Entry {
    std::string bytes;
    std::shared_ptr<const nlohmann::json> record;
  };
  size_t capacity_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace cogemu::store
