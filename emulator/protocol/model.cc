#include "emulator/protocol/model.h"

#include <cctype>
#include <charconv>
#include <deque>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include "emulator/protocol/embedded_models.h"

namespace cogemu::protocol {
namespace {

// The model is read with a small pull parser straight into Shapes and Operations: no JSON DOM,
// text order kept (structure members must be walked in model order), strings viewed in place
// when they hold no escapes. This keeps start-up well under a few milliseconds.

[[noreturn]] void Fail(const std::string& what) {
  throw std::runtime_error("service model: " + what);
}

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  // Next value's first character (after whitespace); 0 at the end of the text.
  char PeekValue() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }

  // A string, viewed in the text, or (if it had escapes) in storage owned by the reader: valid
  // until the reader is destroyed.
  std::string_view String() {
    SkipSpace();
    Expect('"');
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\\') {
      if (static_cast<unsigned char>(text_[pos_]) < 0x20) Error("control character in string");
      ++pos_;
    }
    if (pos_ >= text_.size()) Error("unterminated string");
    if (text_[pos_] == '"') return text_.substr(start, pos_++ - start);
    std::string& out = unescaped_.emplace_back(text_.substr(start, pos_ - start));
    while (true) {
      if (pos_ >= text_.size()) Error("unterminated string");
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) Error("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) Error("unterminated string");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          AppendCodePoint(out, UnicodeEscape());
          break;
        default:
          Error("bad escape");
      }
    }
  }

  double Number() {
    SkipSpace();
    const size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9') Error("bad number");
    while (pos_ < text_.size() &&
           (std::isdigit(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
            text_[pos_] == 'e' || text_[pos_] == 'E' || text_[pos_] == '+' || text_[pos_] == '-')) {
      ++pos_;
    }
    double value = 0;
    const auto result = std::from_chars(text_.data() + start, text_.data() + pos_, value);
    if (result.ec != std::errc() || result.ptr != text_.data() + pos_) Error("bad number");
    return value;
  }

  bool Bool() {
    SkipSpace();
    if (Literal("true")) return true;
    if (Literal("false")) return false;
    Error("expected true or false");
  }

  // Calls on_member(key) for every member; on_member must consume the value.
  template <typename F>
  void Object(F&& on_member) {
    SkipSpace();
    Expect('{');
    Enter();
    SkipSpace();
    if (Consume('}')) {
      --depth_;
      return;
    }
    while (true) {
      const std::string_view key = String();
      SkipSpace();
      Expect(':');
      on_member(key);
      SkipSpace();
      if (Consume('}')) break;
      Expect(',');
    }
    --depth_;
  }

  // Calls on_element() for every element; on_element must consume it.
  template <typename F>
  void Array(F&& on_element) {
    SkipSpace();
    Expect('[');
    Enter();
    SkipSpace();
    if (Consume(']')) {
      --depth_;
      return;
    }
    while (true) {
      on_element();
      SkipSpace();
      if (Consume(']')) break;
      Expect(',');
    }
    --depth_;
  }

  // Consumes any value.
  void Skip() {
    switch (PeekValue()) {
      case '{':
        Object([this](std::string_view) { Skip(); });
        break;
      case '[':
        Array([this] { Skip(); });
        break;
      case '"':
        String();
        break;
      case 't':
      case 'f':
        Bool();
        break;
      case 'n':
        if (!Literal("null")) Error("bad literal");
        break;
      default:
        Number();
        break;
    }
  }

  void End() {
    SkipSpace();
    if (pos_ != text_.size()) Error("trailing characters");
  }

  [[noreturn]] void Error(std::string_view what) const {
    Fail("bad JSON at offset " + std::to_string(pos_) + ": " + std::string(what));
  }

 private:
  static constexpr int kMaxDepth = 256;

  void Enter() {
    if (++depth_ > kMaxDepth) Error("nesting too deep");
  }
  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool Consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void Expect(char c) {
    if (!Consume(c)) Error(std::string("expected '") + c + "'");
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  unsigned Hex4() {
    if (pos_ + 4 > text_.size()) Error("bad \\u escape");
    unsigned value = 0;
    const auto result = std::from_chars(text_.data() + pos_, text_.data() + pos_ + 4, value, 16);
    if (result.ptr != text_.data() + pos_ + 4) Error("bad \\u escape");
    pos_ += 4;
    return value;
  }
  unsigned UnicodeEscape() {
    const unsigned high = Hex4();
    if (high < 0xD800 || high > 0xDFFF) return high;
    if (high > 0xDBFF || !Literal("\\u")) Error("lone surrogate");
    const unsigned low = Hex4();
    if (low < 0xDC00 || low > 0xDFFF) Error("lone surrogate");
    return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
  }
  static void AppendCodePoint(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::deque<std::string> unescaped_;  // stable storage for strings that had escapes
};

std::optional<ShapeType> ParseShapeType(std::string_view type) {
  static constexpr std::pair<std::string_view, ShapeType> kTypes[] = {
      {"structure", ShapeType::kStructure},
      {"list", ShapeType::kList},
      {"map", ShapeType::kMap},
      {"string", ShapeType::kString},
      {"integer", ShapeType::kInteger},
      {"long", ShapeType::kLong},
      {"boolean", ShapeType::kBoolean},
      {"timestamp", ShapeType::kTimestamp},
      {"blob", ShapeType::kBlob},
      {"double", ShapeType::kDouble},
      {"float", ShapeType::kFloat}};
  for (const auto& [name, value] : kTypes) {
    if (name == type) return value;
  }
  return std::nullopt;
}

std::string LowerFirst(std::string_view name) {
  std::string out(name);
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z')
    out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

// A shape reference ({"shape": "Name", ...}) waiting for every shape to exist.
struct PendingRef {
  const Shape** slot;  // stable: points into a Shape/Operation, never into a growing vector
  std::string_view target;
  std::string context;
};

// Reads {"shape": "X", ...}, returning "X" (other keys, like documentation, are skipped).
std::string_view ReadRef(JsonReader& reader) {
  std::string_view target;
  reader.Object([&](std::string_view key) {
    if (key == "shape") {
      target = reader.String();
    } else {
      reader.Skip();
    }
  });
  if (target.empty()) reader.Error("shape reference without 'shape'");
  return target;
}

struct ParsedShape {
  std::unique_ptr<Shape> shape;
  std::vector<std::string_view> member_targets;  // parallel to shape->members
  std::vector<std::string_view> required;
  std::string_view list_member, map_key, map_value, type, pattern;
};

}  // namespace

std::string_view ShapeTypeName(ShapeType type) {
  switch (type) {
    case ShapeType::kStructure:
      return "structure";
    case ShapeType::kList:
      return "list";
    case ShapeType::kMap:
      return "map";
    case ShapeType::kString:
      return "string";
    case ShapeType::kInteger:
      return "integer";
    case ShapeType::kLong:
      return "long";
    case ShapeType::kBoolean:
      return "boolean";
    case ShapeType::kTimestamp:
      return "timestamp";
    case ShapeType::kBlob:
      return "blob";
    case ShapeType::kDouble:
      return "double";
    case ShapeType::kFloat:
      return "float";
  }
  return "unknown";
}

const Member* Shape::FindMember(std::string_view member_name) const {
  for (const Member& m : members) {
    if (m.name == member_name) return &m;
  }
  return nullptr;
}

const Operation* ServiceModel::FindOperation(std::string_view op_name) const {
  auto it = operation_index_.find(op_name);
  return it == operation_index_.end() ? nullptr : it->second;
}

const Shape* ServiceModel::FindShape(std::string_view shape_name) const {
  auto it = shape_index_.find(shape_name);
  return it == shape_index_.end() ? nullptr : it->second;
}

std::unique_ptr<ServiceModel> ServiceModel::Parse(std::string_view json_text) {
  std::unique_ptr<ServiceModel> model(new ServiceModel());
  JsonReader reader(json_text);
  std::vector<ParsedShape> parsed;
  std::vector<PendingRef> refs;
  // Errors are resolved per operation after the shapes exist.
  std::vector<std::vector<std::string_view>> operation_errors;
  bool saw_metadata = false, saw_operations = false, saw_shapes = false;

  auto read_string_or_skip = [&reader](std::string& out) {
    if (reader.PeekValue() == '"') {
      out = reader.String();
    } else {
      reader.Skip();
    }
  };
  auto read_flag = [&reader]() {
    const char c = reader.PeekValue();
    if (c == 't' || c == 'f') return reader.Bool();
    reader.Skip();
    return false;
  };

  if (reader.PeekValue() != '{') reader.Error("the model is not a JSON object");
  reader.Object([&](std::string_view section) {
    if (section == "metadata") {
      saw_metadata = true;
      reader.Object([&](std::string_view key) {
        if (key == "targetPrefix") {
          read_string_or_skip(model->target_prefix_);
        } else if (key == "endpointPrefix") {
          read_string_or_skip(model->endpoint_prefix_);
        } else if (key == "signingName") {
          read_string_or_skip(model->signing_name_);
        } else if (key == "apiVersion") {
          read_string_or_skip(model->api_version_);
        } else {
          reader.Skip();
        }
      });
    } else if (section == "operations") {
      saw_operations = true;
      reader.Object([&](std::string_view op_name) {
        auto op = std::make_unique<Operation>();
        op->name = op_name;
        std::vector<std::string_view> errors;
        bool no_auth = false;
        reader.Object([&](std::string_view key) {
          if (key == "input") {
            refs.push_back({&op->input, ReadRef(reader), "operation " + op->name + " input"});
          } else if (key == "output") {
            refs.push_back({&op->output, ReadRef(reader), "operation " + op->name + " output"});
          } else if (key == "errors") {
            reader.Array([&] { errors.push_back(ReadRef(reader)); });
          } else if (key == "authtype" && reader.PeekValue() == '"') {
            if (reader.String() == "none") no_auth = true;
          } else if (key == "auth" && reader.PeekValue() == '[') {
            reader.Array([&] {
              if (reader.PeekValue() == '"') {
                if (reader.String() == "smithy.api#noAuth") no_auth = true;
              } else {
                reader.Skip();
              }
            });
          } else {
            reader.Skip();
          }
        });
        op->unsigned_auth = no_auth;
        if (!model->operation_index_.emplace(op->name, op.get()).second) {
          Fail("duplicate operation " + op->name);
        }
        model->operations_.push_back(std::move(op));
        operation_errors.push_back(std::move(errors));
      });
    } else if (section == "shapes") {
      saw_shapes = true;
      reader.Object([&](std::string_view shape_name) {
        ParsedShape p;
        p.shape = std::make_unique<Shape>();
        Shape& shape = *p.shape;
        shape.name = shape_name;
        reader.Object([&](std::string_view key) {
          if (key == "type") {
            p.type = reader.String();
          } else if (key == "min") {
            shape.min = reader.Number();
          } else if (key == "max") {
            shape.max = reader.Number();
          } else if (key == "pattern") {
            p.pattern = reader.String();
          } else if (key == "enum") {
            reader.Array([&] { shape.enum_values.emplace_back(reader.String()); });
          } else if (key == "sensitive") {
            shape.sensitive = read_flag();
          } else if (key == "exception") {
            if (read_flag()) shape.is_error = true;
          } else if (key == "error") {
            shape.is_error = true;
            reader.Skip();
          } else if (key == "fault") {
            shape.fault = read_flag();
          } else if (key == "document") {
            shape.is_document = read_flag();
          } else if (key == "members") {
            reader.Object([&](std::string_view member_name) {
              Member& m = shape.members.emplace_back();
              m.name = member_name;
              m.path_name = LowerFirst(member_name);
              p.member_targets.push_back(ReadRef(reader));
            });
          } else if (key == "required") {
            reader.Array([&] { p.required.push_back(reader.String()); });
          } else if (key == "member") {
            p.list_member = ReadRef(reader);
          } else if (key == "key") {
            p.map_key = ReadRef(reader);
          } else if (key == "value") {
            p.map_value = ReadRef(reader);
          } else {
            reader.Skip();
          }
        });
        std::optional<ShapeType> type = ParseShapeType(p.type);
        if (!type) Fail("shape " + shape.name + ": unknown type '" + std::string(p.type) + "'");
        shape.type = *type;
        if (shape.type == ShapeType::kList && p.list_member.empty()) {
          Fail("list shape " + shape.name + " without member");
        }
        if (shape.type == ShapeType::kMap && (p.map_key.empty() || p.map_value.empty())) {
          Fail("map shape " + shape.name + " without key/value");
        }
        for (std::string_view r : p.required) {
          bool found = false;
          for (Member& m : shape.members) {
            if (m.name == r) {
              m.required = true;
              found = true;
            }
          }
          if (!found)
            Fail("shape " + shape.name + ": required member " + std::string(r) + " missing");
        }
        if (!model->shape_index_.emplace(shape.name, p.shape.get()).second) {
          Fail("duplicate shape " + shape.name);
        }
        parsed.push_back(std::move(p));
      });
    } else {
      reader.Skip();
    }
  });
  reader.End();
  if (!saw_metadata) Fail("no metadata");
  if (!saw_operations) Fail("no operations");
  if (!saw_shapes) Fail("no shapes");
  if (model->signing_name_.empty()) model->signing_name_ = model->endpoint_prefix_;

  // Resolve references and compile patterns (one Pattern per distinct text).
  auto resolve = [&model](std::string_view target, const std::string& context) -> const Shape* {
    const Shape* shape = model->FindShape(target);
    if (shape == nullptr) Fail(context + ": unknown shape " + std::string(target));
    return shape;
  };
  std::unordered_map<std::string_view, const Pattern*> pattern_cache;
  model->shapes_.reserve(parsed.size());
  for (ParsedShape& p : parsed) {
    Shape& shape = *p.shape;
    for (size_t i = 0; i < shape.members.size(); ++i) {
      shape.members[i].shape =
          resolve(p.member_targets[i], "shape " + shape.name + " member " + shape.members[i].name);
    }
    if (!p.list_member.empty())
      shape.member = resolve(p.list_member, "shape " + shape.name + " member");
    if (!p.map_key.empty()) shape.key = resolve(p.map_key, "shape " + shape.name + " key");
    if (!p.map_value.empty()) shape.value = resolve(p.map_value, "shape " + shape.name + " value");
    if (!p.pattern.empty()) {
      auto [it, inserted] = pattern_cache.try_emplace(p.pattern, nullptr);
      if (inserted) {
        try {
          model->patterns_.push_back(Pattern::Compile(p.pattern));
        } catch (const std::exception& e) {
          Fail("shape " + shape.name + ": " + e.what());
        }
        it->second = model->patterns_.back().get();
      }
      shape.pattern = it->second;
    }
    model->shapes_.push_back(std::move(p.shape));
  }
  for (const PendingRef& ref : refs) *ref.slot = resolve(ref.target, ref.context);
  for (size_t i = 0; i < model->operations_.size(); ++i) {
    Operation& op = *model->operations_[i];
    op.errors.reserve(operation_errors[i].size());
    for (std::string_view e : operation_errors[i])
      op.errors.push_back(resolve(e, "operation " + op.name + " error"));
  }
  return model;
}

namespace {

std::unique_ptr<ServiceModel> ParseEmbedded(size_t index) {
  const std::vector<std::string_view> texts = EmbeddedModels();
  if (texts.size() <= index) Fail("the binary embeds no model #" + std::to_string(index));
  return ServiceModel::Parse(texts[index]);
}

}  // namespace

// Function-local statics: initialised once, thread-safely, on first use.
const ServiceModel& IdpModel() {
  static const std::unique_ptr<ServiceModel> model = ParseEmbedded(0);
  return *model;
}

const ServiceModel& IdentityModel() {
  static const std::unique_ptr<ServiceModel> model = ParseEmbedded(1);
  return *model;
}

}  // namespace cogemu::protocol
