#include "emulator/idp/outbox.h"

#include "emulator/log.h"

namespace cogemu::idp {
namespace {

using json = nlohmann::json;
using store::Table;
namespace keys = store::keys;

const std::string& SeqKey() {
  static const std::string key = keys::Tuple({"outbox_seq"});
  return key;
}

}  // namespace

void SendMessage(api::Context& ctx, const OutboundMessage& m) {
  uint64_t seq = 1;
  if (auto raw = ctx.txn.Get(Table::kMeta, SeqKey())) seq = keys::ReadU64(*raw) + 1;
  ctx.txn.Put(Table::kMeta, SeqKey(), keys::U64(seq));
  json message = {{"id", std::to_string(seq)},
                  {"userPoolId", m.pool_id},
                  {"username", m.username},
                  {"destination", m.destination},
                  {"deliveryMedium", m.delivery_medium},
                  {"reason", m.reason},
                  {"code", m.code ? json(*m.code) : json(nullptr)},
                  {"temporaryPassword", m.temporary_password ? json(*m.temporary_password) : json(nullptr)},
                  {"sentAt", ctx.now()}};
  if (m.subject) message["subject"] = *m.subject;
  if (m.message) message["message"] = *m.message;
  ctx.txn.PutJson(Table::kOutbox, keys::U64(seq), message);
  std::string line = "message " + m.reason + " to " + m.destination + " (" + m.delivery_medium +
                     ") for " + m.pool_id + "/" + m.username;
  if (m.code) line += " code=" + *m.code;
  if (m.temporary_password) line += " temporaryPassword=" + *m.temporary_password;
  ctx.AfterCommit([line = std::move(line)] { log::Info(line); });
}

json ListMessages(const store::Txn& txn, const std::string& pool_id, const std::string& username) {
  json out = json::array();
  txn.Scan(Table::kOutbox, "", std::nullopt, [&](std::string_view, std::string_view value) {
    json m = json::from_msgpack(value.begin(), value.end());
    if (!pool_id.empty() && m["userPoolId"] != pool_id) return true;
    if (!username.empty() && m["username"] != username && m["destination"] != username) return true;
    out.push_back(std::move(m));
    return true;
  });
  return out;
}

size_t ClearMessages(store::Txn& txn) { return txn.DelPrefix(Table::kOutbox, ""); }

}  // namespace cogemu::idp
