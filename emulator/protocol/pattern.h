// Pattern: one AWS model `pattern` trait (a Java regular expression), compiled with PCRE2 for
// whole-string matching, the way the AWS (Coral) validator applies it: Pattern.matches().
//
// Java and PCRE2 agree on everything the Cognito models use once PCRE2 runs in UTF mode without
// UCP: \w \d \s stay ASCII-only (as in Java without UNICODE_CHARACTER_CLASS) while \p{L} and
// friends are Unicode. The one translation applied is `.` outside a character class and outside
// (?s): Java's `.` excludes the line terminators \n \r \u0085 \u2028 \u2029, PCRE2's only \n, so
// it becomes [^\n\r\x{85}\x{2028}\x{2029}]. Java-only syntax (class intersection `&&`, nested
// classes, \p{javaXxx}, \p{Alpha}) is not translated: it either fails to compile (Compile throws)
// or, for `&&` and nested classes, would be read differently; no model pattern uses it.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace cogemu::protocol {

class Pattern {
 public:
  // Compiles an AWS model pattern (Java regex syntax) for whole-string matching. Throws
  // std::runtime_error on a bad pattern. JIT compilation happens lazily on the first match.
  static std::unique_ptr<Pattern> Compile(std::string_view java_pattern);

  ~Pattern();
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;

  // True if the whole subject matches. Thread-safe. Never recurses on the machine stack (the
  // interpreter keeps its backtracking state on the heap); a hit of the match limit, the heap
  // limit or the JIT stack, and invalid UTF-8, all count as no match.
  bool FullMatch(std::string_view subject) const;

  // The pattern exactly as the model spells it (what error messages quote).
  const std::string& source() const { return source_; }

  // Backtracking budget per match (PCRE2 match_limit / depth ceiling). A subject that exhausts
  // it does not match.
  static constexpr unsigned kMatchLimit = 5'000'000;

 private:
  explicit Pattern(std::string source) : source_(std::move(source)) {}
  void EnsureJit() const;

  std::string source_;
  void* code_ = nullptr;  // pcre2_code_8*; kept opaque so pcre2.h stays out of the header
  mutable std::once_flag jit_once_;
  mutable bool jit_ok_ = false;
};

// Exposed for tests: the PCRE2 text Compile() builds from a Java pattern.
std::string TranslateJavaPattern(std::string_view java_pattern);

}  // namespace cogemu::protocol
