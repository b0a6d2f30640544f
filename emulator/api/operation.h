// One row of the API surface: which service and operation, the handler, and whether it needs
// a read or a write transaction. emulator/api/operations.cc lists every row in one table.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "emulator/api/context.h"

namespace cogemu::api {

using json = nlohmann::json;
// Takes the validated input object, returns the output object (or {}), throws ApiError.
using Handler = json (*)(Context& ctx, const json& input);

// kSlowWrite: a write that may need slow work (Context::Slow: password hashing, SRP): its
// first attempt runs speculatively in a read transaction, so that finding it needs slow work
// costs no turn of the store's single writer.
enum class Access { kRead, kWrite, kSlowWrite };

struct OperationRow {
  std::string_view service;    // "cognito-idp" | "cognito-identity"
  std::string_view operation;  // model name, e.g. "CreateUserPool"
  Handler handler;
  Access access;
};

// Every implemented operation. Modeled operations missing here answer NotImplementedException.
const std::vector<OperationRow>& OperationTable();

}  // namespace cogemu::api
