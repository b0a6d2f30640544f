// The AWS service model (botocore service-2.json), parsed once into shapes and operations that
// the dispatcher and the input validator walk. Everything handed out (Shape*, Member*,
// Operation*, Pattern*) lives as long as the ServiceModel that owns it; the embedded models
// behind IdpModel()/IdentityModel() live until the process ends.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "emulator/protocol/pattern.h"

namespace cogemu::protocol {

enum class ShapeType {
  kStructure,
  kList,
  kMap,
  kString,
  kInteger,
  kLong,
  kBoolean,
  kTimestamp,
  kBlob,
  kDouble,
  kFloat
};

// "structure", "list", ... as the model spells the type.
std::string_view ShapeTypeName(ShapeType type);

struct Shape;

struct Member {
  std::string name;       // "UserPoolId": the JSON key on the wire
  std::string path_name;  // "userPoolId": first character lowered, as AWS error paths name it
  const Shape* shape = nullptr;
  bool required = false;
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kStructure;
  std::optional<double> min, max;        // length for strings/lists/maps/blobs, value for numbers
  const Pattern* pattern = nullptr;      // shared between shapes with the same pattern text
  std::vector<std::string> enum_values;  // model order
  bool sensitive = false;
  std::vector<Member> members;    // structure, in model order
  const Shape* member = nullptr;  // list
  const Shape* key = nullptr;     // map
  const Shape* value = nullptr;   // map
  bool is_error = false;          // "exception": true or "error": {...}
  bool fault = false;             // "fault": true (a server-side error)
  // A Smithy document ("type":"structure","document":true): any JSON value, not validated.
  bool is_document = false;

  // Structure member by wire name (case-sensitive, like AWS); nullptr if there is none.
  const Member* FindMember(std::string_view name) const;
};

struct Operation {
  std::string name;
  const Shape* input = nullptr;   // nullptr if the operation takes no input
  const Shape* output = nullptr;  // nullptr if it returns nothing
  // True when the operation is called without SigV4: "authtype":"none" or an "auth" list that
  // holds "smithy.api#noAuth" (InitiateAuth, SignUp, GetId, ...).
  bool unsigned_auth = false;
  std::vector<const Shape*> errors;  // model order
};

class ServiceModel {
 public:
  // Parses a botocore service-2.json text. Throws std::runtime_error on a malformed model
  // (bad JSON, a reference to a missing shape, an unknown shape type, a pattern that does not
  // compile). Object member order is kept as the text has it.
  static std::unique_ptr<ServiceModel> Parse(std::string_view json_text);

  const std::string& target_prefix() const { return target_prefix_; }      // metadata.targetPrefix
  const std::string& signing_name() const { return signing_name_; }        // or endpointPrefix
  const std::string& endpoint_prefix() const { return endpoint_prefix_; }  // "cognito-idp"
  const std::string& api_version() const { return api_version_; }          // "2016-04-18"

  // Operation by exact name ("AdminGetUser"); nullptr if the model has none. Hash lookup.
  const Operation* FindOperation(std::string_view name) const;
  // Every operation, in model order (botocore lists them alphabetically).
  const std::vector<std::unique_ptr<Operation>>& operations() const { return operations_; }
  // Shape by exact name; nullptr if none.
  const Shape* FindShape(std::string_view name) const;
  // Every shape, in model order.
  const std::vector<std::unique_ptr<Shape>>& shapes() const { return shapes_; }
  // Number of distinct compiled patterns (shapes with the same pattern share one).
  size_t pattern_count() const { return patterns_.size(); }

 private:
  ServiceModel() = default;

  std::string target_prefix_;
  std::string signing_name_;
  std::string endpoint_prefix_;
  std::string api_version_;
  std::vector<std::unique_ptr<Shape>> shapes_;
  std::vector<std::unique_ptr<Operation>> operations_;
  std::vector<std::unique_ptr<Pattern>> patterns_;
  // Keys view the names owned by the Shape/Operation objects above.
  std::unordered_map<std::string_view, const Shape*> shape_index_;
  std::unordered_map<std::string_view, const Operation*> operation_index_;
};

// The models embedded in the binary, parsed on first use (thread-safe). Parsing the embedded
// text cannot fail short of a build error; if it does, these throw std::runtime_error.
const ServiceModel& IdpModel();       // cognito-idp 2016-04-18
const ServiceModel& IdentityModel();  // cognito-identity 2014-06-30

}  // namespace cogemu::protocol
