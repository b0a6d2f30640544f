// The AWS service models (botocore service-2.json, documentation stripped), compiled into the
// binary by tools/embed_models.cc: cognito-idp first, then cognito-identity.
#pragma once

#include <string_view>
#include <vector>

namespace cogemu::protocol {

// Compact JSON text of every embedded model, in the order CMakeLists.txt lists them.
std::vector<std::string_view> EmbeddedModels();

}  // namespace cogemu::protocol
