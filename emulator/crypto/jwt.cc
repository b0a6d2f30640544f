#include "emulator/crypto/jwt.h"

#include <utility>

#include "emulator/crypto/hash.h"

namespace cogemu::crypto {

namespace {

// Decodes one unpadded base64url segment, rejecting non-canonical encodings (padding, stray
// trailing bits) so that every token has exactly one spelling.
std::optional<std::string> DecodeSegment(std::string_view segment) {
  if (segment.find('=') != std::string_view::npos) return std::nullopt;
  std::optional<std::string> bytes = Base64UrlDecode(segment);
  if (!bytes || Base64UrlEncode(*bytes) != segment) return std::nullopt;
  return bytes;
}

// True if JSON text nests arrays/objects at most `max_depth` deep (nlohmann::json's dump and
// comparisons recurse, so a hostile token must not be able to nest 500,000 levels).
bool DepthWithin(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// Decodes a segment holding a JSON object.
std::optional<nlohmann::json> DecodeJsonObject(std::string_view segment) {
  std::optional<std::string> text = DecodeSegment(segment);
  if (!text || !DepthWithin(*text, kMaxJwtJsonDepth)) return std::nullopt;
  nlohmann::json value = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) return std::nullopt;  // Also covers parse errors (discarded).
  return value;
}

}  // namespace

std::string SignJwt(const RsaKey& key, const nlohmann::json& claims) {
  const std::string header = R"({"kid":)" + nlohmann::json(key.kid()).dump() + R"(,"alg":"RS256"})";
  std::string token = Base64UrlEncode(header);
  token += '.';
  token += Base64UrlEncode(claims.dump());
  const std::string signature = key.SignRs256(token);
  token += '.';
  token += Base64UrlEncode(signature);
  return token;
}

std::optional<DecodedJwt> DecodeJwt(std::string_view token) {
  try {
    if (token.size() > kMaxJwtBytes) return std::nullopt;
    const size_t first = token.find('.');
    if (first == std::string_view::npos) return std::nullopt;
    const size_t second = token.find('.', first + 1);
    if (second == std::string_view::npos) return std::nullopt;
    if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;

    DecodedJwt out;
    std::optional<nlohmann::json> header = DecodeJsonObject(token.substr(0, first));
    if (!header) return std::nullopt;
    std::optional<nlohmann::json> payload =
        DecodeJsonObject(token.substr(first + 1, second - first - 1));
    if (!payload) return std::nullopt;
    std::optional<std::string> signature = DecodeSegment(token.substr(second + 1));
    if (!signature) return std::nullopt;
    out.header = std::move(*header);
    out.payload = std::move(*payload);
    out.signing_input = std::string(token.substr(0, second));
    out.signature = std::move(*signature);
    return out;
  } catch (...) {  // Only std::bad_alloc is possible; the contract is "never throws".
    return std::nullopt;
  }
}

bool VerifyJwt(const RsaKey& key, const DecodedJwt& decoded) {
  if (!decoded.header.is_object()) return false;
  const auto alg = decoded.header.find("alg");
  if (alg == decoded.header.end() || !alg->is_string() ||
      alg->get_ref<const std::string&>() != "RS256") {
    return false;
  }
  return key.VerifyRs256(decoded.signing_input, decoded.signature);
}

}  // namespace cogemu::crypto
