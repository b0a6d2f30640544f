// UTF-8 helpers shared by the validator and the rules.
#pragma once

#include <string>
#include <string_view>

namespace cogemu::utf8 {

// Code points of a UTF-8 string. A malformed sequence yields one U+FFFD per offending byte.
std::u32string Decode(std::string_view utf8);
// Appends the UTF-8 encoding of `cp` to `out`.
void Append(char32_t cp, std::string& out);
// Length as Java's String.length() counts it (UTF-16 code units: above U+FFFF counts 2), which
// is what AWS's string-length limits measure. Allocation-free; expects valid UTF-8.
size_t Utf16Length(std::string_view utf8);

}  // namespace cogemu::utf8
