#include "emulator/protocol/wire.h"

namespace cogemu::protocol {

std::optional<Target> ParseTarget(std::string_view header) {
  const size_t dot = header.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= header.size()) return std::nullopt;
  return Target{std::string(header.substr(0, dot)), std::string(header.substr(dot + 1))};
}

std::optional<Credential> ParseSigV4Credential(std::string_view auth) {
  const std::string_view kKey = "Credential=";
  const size_t at = auth.find(kKey);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = auth.substr(at + kKey.size());
  const size_t end = rest.find_first_of(", ");
  if (end != std::string_view::npos) rest = rest.substr(0, end);
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t slash = rest.find('/', start);
    if (slash == std::string_view::npos) slash = rest.size();
    parts.emplace_back(rest.substr(start, slash - start));
    start = slash + 1;
  }
  if (parts.size() < 5 || parts[0].empty() || parts[2].empty()) return std::nullopt;
  return Credential{parts[0], parts[1], parts[2], parts[3]};
}

nlohmann::json ParseRequestBody(std::string_view body, int max_depth) {
  size_t i = 0;
  while (i < body.size() && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
    ++i;
  if (i == body.size()) return nlohmann::json::object();
  int depth = 0;
  bool too_deep = false;
  auto bound = [&](int, nlohmann::json::parse_event_t event, nlohmann::json&) {
    if (event == nlohmann::json::parse_event_t::object_start ||
        event == nlohmann::json::parse_event_t::array_start) {
      if (++depth > max_depth) too_deep = true;
    } else if (event == nlohmann::json::parse_event_t::object_end ||
               event == nlohmann::json::parse_event_t::array_end) {
      --depth;
    }
    return !too_deep;
  };
  nlohmann::json value;
  try {
    value = nlohmann::json::parse(body.begin(), body.end(), bound);
  } catch (const nlohmann::json::exception& e) {
    if (too_deep) throw errors::Serialization("JSON nested too deeply");
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." -> after "] "
    const size_t close = what.find("] ");
    if (close != std::string::npos) what = what.substr(close + 2);
    throw errors::Serialization("Malformed JSON: " + what);
  }
  if (too_deep) throw errors::Serialization("JSON nested too deeply");
  if (value.is_array()) throw errors::Serialization("Start of list found where not expected");
  if (!value.is_object()) throw errors::Serialization("Expected start of structure or map.");
  return value;
}

std::string Dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

namespace {

// Header values may not carry CR/LF, and very long values are pointless there.
std::string HeaderSafe(std::string_view text) {
  std::string out;
  const size_t limit = std::min<size_t>(text.size(), 1024);
  out.reserve(limit);
  for (size_t i = 0; i < limit; ++i) {
    const char c = text[i];
    out += (c == '\r' || c == '\n' || c == '\0') ? ' ' : c;
  }
  return out;
}

}  // namespace

WireResponse Success(const nlohmann::json& output, const std::string& request_id) {
  WireResponse r;
  r.status = 200;
  r.body = output.is_null() ? "{}" : Dump(output);
  r.headers = {{"x-amzn-RequestId", request_id}};
  return r;
}

WireResponse Error(const ApiError& error, const std::string& request_id) {
  WireResponse r;
  r.status = error.status();
  r.error_code = error.code();
  r.body = Dump(nlohmann::json{{"__type", error.code()}, {"message", error.message()}});
  r.headers = {{"x-amzn-RequestId", request_id},
               {"x-amzn-ErrorType", error.code() + ":"},
               {"x-amzn-ErrorMessage", HeaderSafe(error.message())}};
  return r;
}

}  // namespace cogemu::protocol
