#include "emulator/idp/rules/user_filter.h"

#include <algorithm>
#include <array>

#include "emulator/api/error.h"

namespace cogemu::idp::rules {
namespace {

constexpr std::array<std::string_view, 10> kSearchable = {
    "username",    "email",              "phone_number",        "name",   "given_name",
    "family_name", "preferred_username", "cognito:user_status", "status", "sub"};

ApiError ParseError() { return errors::InvalidParameter("Error while parsing filter."); }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

bool IsSearchableAttribute(std::string_view name) {
  return std::find(kSearchable.begin(), kSearchable.end(), name) != kSearchable.end();
}

std::optional<UserFilter> ParseUserFilter(std::string_view text) {
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && IsSpace(text[i])) ++i;
  };
  skip_spaces();
  if (i == text.size()) return std::nullopt;

  UserFilter filter;
  const size_t name_start = i;
  while (i < text.size() && !IsSpace(text[i]) && text[i] != '=' && text[i] != '^' && text[i] != '"') ++i;
  filter.attribute = std::string(text.substr(name_start, i - name_start));
  if (!IsSearchableAttribute(filter.attribute)) throw ParseError();

  skip_spaces();
  if (text.substr(i, 2) == "^=") {
    filter.prefix = true;
    i += 2;
  } else if (text.substr(i, 1) == "=") {
    i += 1;
  } else {
    throw ParseError();
  }

  skip_spaces();
  if (i == text.size() || text[i] != '"') throw ParseError();
  ++i;
  bool closed = false;
  while (i < text.size()) {
    const char c = text[i++];
    if (c == '"') {
      closed = true;
      break;
    }
    if (c == '\\' && i < text.size()) {
      const char next = text[i];
      if (next == '"' || next == '\\') {
        filter.value += next;
        ++i;
        continue;
      }
    }
    filter.value += c;
  }
  if (!closed) throw ParseError();
  skip_spaces();
  if (i != text.size()) throw ParseError();
  return filter;
}

std::string CanonicalUserFilter(const std::optional<UserFilter>& filter) {
  if (!filter) return "";
  std::string out = filter->attribute;
  out += filter->prefix ? " ^= " : " = ";
  out += filter->value;
  return out;
}

}  // namespace cogemu::idp::rules
