// Dispatcher: AWS JSON 1.1 request in, response out. Resolves the target against the embedded
// models, parses and validates the body from the model, opens exactly one store transaction
// (read or write, per the operation table), runs the handler and commits. It is the one place
// that catches ApiError; anything else thrown becomes InternalErrorException. Never throws.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "emulator/api/operation.h"
#include "emulator/clock.h"
#include "emulator/config.h"
#include "emulator/protocol/wire.h"
#include "emulator/random.h"
#include "emulator/store/store.h"
#include "emulator/store/write_queue.h"

namespace cogemu::protocol {
class ServiceModel;
struct Operation;
}  // namespace cogemu::protocol

namespace cogemu::api {

struct Call {
  std::string_view target;         // X-Amz-Target
  std::string_view content_type;   // Content-Type (may be empty)
  std::string_view authorization;  // Authorization (may be empty)
  std::string_view body;
  std::string_view source_ip = {};  // the peer's address, when known (devices' last_ip_used)
};

struct Outcome {
  protocol::WireResponse response;
  std::string operation;  // "cognito-idp.CreateUserPool", or the raw target when unknown
};

class Dispatcher {
 public:
  Dispatcher(store::Env& env, const Clock& clock, Random& random, const Config& config,
             Services& services);
  Outcome Handle(const Call& call);

 private:
  struct Service {
    const protocol::ServiceModel* model;
    std::string name;  // "cognito-idp"
  };
  struct Bound {
    const protocol::Operation* model_op;
    const OperationRow* row;  // null: modeled but not implemented
  };

  // What a handler produced: its output value, or ready-made JSON text (Context::raw_output).
  struct Answer {
    json output;
    std::optional<std::string> raw;
  };
  Answer Run(const OperationRow& row, const json& input, RequestInfo& info);

  store::Env& env_;
  const Clock& clock_;
  Random& random_;
  const Config& config_;
  Services& shared_;
  std::unique_ptr<store::WriteQueue> writes_;
  // group commit; only for durable stores
  std::unordered_map<std::string, Service> services_;        // by target prefix
  std::unordered_map<std::string, Bound> operations_;        // "prefix.Operation"
};

}  // namespace cogemu::api
