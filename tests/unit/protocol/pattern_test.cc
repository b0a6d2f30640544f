#include "emulator/protocol/pattern.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "emulator/protocol/embedded_models.h"

namespace cogemu::protocol {
namespace {

// Every distinct `pattern` trait in the embedded models.
std::set<std::string> ModelPatterns() {
  std::set<std::string> patterns;
  for (std::string_view text : EmbeddedModels()) {
    const nlohmann::json model = nlohmann::json::parse(text);
    for (const auto& [name, shape] : model.at("shapes").items()) {
      if (shape.contains("pattern")) patterns.insert(shape["pattern"].get<std::string>());
    }
  }
  return patterns;
}

struct MatchCase {
  const char* pattern;
  std::string subject;
  bool matches;
};

TEST_CASE("pattern: whole-string matching with Java semantics") {
  const MatchCase cases[] = {
      // userPoolId / identityPoolId
      {R"([\w-]+_[0-9a-zA-Z]+)", "us-east-1_AbC123xyz", true},
      {R"([\w-]+_[0-9a-zA-Z]+)", "bad pool", false},
      {R"([\w-]+_[0-9a-zA-Z]+)", "us-east-1_", false},
      {R"([\w-]+_[0-9a-zA-Z]+)", "us-east-1_abc!", false},
      {R"([\w-]+_[0-9a-zA-Z]+)", "YOUR-USER-POOL-ID", false},
      {R"([\w-]+_[0-9a-zA-Z]+)", "x us-east-1_abc", false},  // anchored at the start
      {R"([\w-]+_[0-9a-zA-Z]+)", "us-east-1_abc x", false},  // and at the end
      {R"([\w-]+:[0-9a-f-]+)", "us-east-1:0f1e2d3c-aaaa-bbbb-cccc-123456789abc", true},
      {R"([\w-]+:[0-9a-f-]+)", "us-east-1:XYZ", false},
      // \w \d \s are ASCII-only, as in Java without UNICODE_CHARACTER_CLASS
      {R"([\w]+)", "abc_123", true},
      {R"([\w]+)", "é", false},
      {R"(\d+)", "0123", true},
      {R"(\d+)", "\u0661\u0662", false},  // Arabic-Indic digits
      {R"([\S]+)", "pässwörd", true},
      {R"([\S]+)", "a\u00A0b", true},  // NBSP is not \s in Java
      {R"([\S]+)", "a b", false},
      {R"([\S]+)", "a\tb", false},
      {R"([\S]+)", "", false},
      // \p{..} classes are Unicode
      {R"([\p{L}\p{M}\p{S}\p{N}\p{P}]+)", "José_日本語-😀", true},
      {R"([\p{L}\p{M}\p{S}\p{N}\p{P}]+)", "a b", false},
      {R"([\p{L}\p{M}\p{S}\p{N}\p{P}\p{Z}]+)", "a b", true},
      {R"([\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+)", "custom:dept name", true},
      {R"([^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+)", "abc", true},
      {R"([^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+)", "_bc", false},
      // hyphen after a range is a literal, as in Java
      {R"([A-Za-z0-9-_=.]+)", "a-b_c=d.e", true},
      {R"([A-Za-z0-9-_=.]+)", "a b", false},
      // lookbehind, explicit anchors
      {R"(^[0-9A-Za-z\.\-_]*(?<!\.)$)", "my.domain", true},
      {R"(^[0-9A-Za-z\.\-_]*(?<!\.)$)", "my.domain.", false},
      {R"(^[0-9A-Za-z\.\-_]*(?<!\.)$)", "", true},
      {R"(^(terms-of-use|privacy-policy)$)", "privacy-policy", true},
      {R"(^(terms-of-use|privacy-policy)$)", "privacy-policy\n", false},  // $ is not end-of-line
      {R"(^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$)", "my-domain", true},
      {R"(^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$)", "-bad", false},
      {R"(^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[4][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$)",
       "0f1e2d3c-aaaa-4bbb-8ccc-123456789abc", true},
      // `.` excludes Java's line terminators unless (?s)
      {R"((?s).*)", "line1\nline2\r\u2028", true},
      {R"(.*\{####\}.*)", "Your code is {####}", true},
      {R"(.*\{####\}.*)", "Hello\n{####}", false},
      {R"(.*\{####\}.*)", "Hello\r{####}", false},
      {R"(.*\{####\}.*)", "Hello\u2028{####}", false},
      {R"(.*\{####\}.*)", "Hello\u0085{####}", false},
      {R"(.*\{####\}.*)", "Hello\v\f{####}", true},  // not line terminators in Java
      {R"([\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*)",
       "Your code:\n{####}\n", true},
      {R"([\x21\x23-\x5B\x5D-\x7E]+)", "openid", true},
      {R"([\x21\x23-\x5B\x5D-\x7E]+)", "a\"b", false},
      {R"([\x21\x23-\x5B\x5D-\x7E]+)", "a\\b", false},
      {R"(arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?)",
       "arn:aws:iam::123456789012:role/MyRole", true},
      {R"(arn:[\w+=/,.@-]+:[\w+=/,.@-]+:([\w+=/,.@-]*)?:[0-9]+:[\w+=/,.@-]+(:[\w+=/,.@-]+)?(:[\w+=/,.@-]+)?)",
       "not-an-arn", false},
  };
  for (const MatchCase& c : cases) {
    CAPTURE(c.pattern);
    CAPTURE(c.subject);
    auto pattern = Pattern::Compile(c.pattern);
    CHECK(pattern->source() == c.pattern);
    CHECK(pattern->FullMatch(c.subject) == c.matches);
  }
}

TEST_CASE("pattern: translation of Java's dot") {
  CHECK(TranslateJavaPattern("a.b") == R"(a[^\n\r\x{85}\x{2028}\x{2029}]b)");
  CHECK(TranslateJavaPattern("(?s).*") == "(?s).*");
  CHECK(TranslateJavaPattern("[.]\\.") == "[.]\\.");
  CHECK(TranslateJavaPattern(R"(\Q.\E)") == R"(\Q.\E)");
  CHECK(TranslateJavaPattern("(?s:.).") == R"((?s:.)[^\n\r\x{85}\x{2028}\x{2029}])");
  CHECK(TranslateJavaPattern("(a(?s).).") == R"((a(?s).)[^\n\r\x{85}\x{2028}\x{2029}])");
}

TEST_CASE("pattern: every pattern of both models compiles") {
  const std::set<std::string> patterns = ModelPatterns();
  CHECK(patterns.size() >= 40);
  for (const std::string& source : patterns) {
    CAPTURE(source);
    std::unique_ptr<Pattern> pattern;
    CHECK_NOTHROW(pattern = Pattern::Compile(source));
    REQUIRE(pattern != nullptr);
    CHECK(pattern->source() == source);
    (void)pattern->FullMatch("abc");  // JIT-compiles and runs once
  }
}

TEST_CASE("pattern: huge subjects neither crash nor hang") {
  const std::string letters(200000, 'a');
  std::string underscores(200000, '_');
  const auto start = std::chrono::steady_clock::now();
  for (const std::string& source : ModelPatterns()) {
    CAPTURE(source);
    auto pattern = Pattern::Compile(source);
    (void)pattern->FullMatch(letters);
    (void)pattern->FullMatch(underscores);
    (void)pattern->FullMatch(letters + " " + letters);
  }
  CHECK(Pattern::Compile(R"([\w-]+_[0-9a-zA-Z]+)")->FullMatch(letters + "_" + letters));
  CHECK_FALSE(Pattern::Compile(R"([\w-]+_[0-9a-zA-Z]+)")->FullMatch(letters + "_" + letters + "!"));
  CHECK(Pattern::Compile(R"((?s).*)")->FullMatch(letters + "\n" + letters));
  CHECK(Pattern::Compile(R"([\p{L}\p{M}\p{S}\p{N}\p{P}]+)")->FullMatch(letters));
  // Catastrophic backtracking is cut off by the match limit: no match, no hang.
  auto evil = Pattern::Compile("(a|aa)+[bc]");  // 2^n paths; no literal last char to prune
  CHECK_FALSE(evil->FullMatch(std::string(60, 'a')));
  CHECK(evil->FullMatch(std::string(60, 'a') + "b"));
  auto tmpl = Pattern::Compile(
      R"([\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{##[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*##\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*)");
  std::string braces;
  for (int i = 0; i < 6000; ++i) braces += "{##";
  CHECK_FALSE(tmpl->FullMatch(braces));
  (void)tmpl->FullMatch(braces + "##}" + braces);  // adversarial: may hit the limit, must not hang
  const std::string text(9000, 'x');
  CHECK(tmpl->FullMatch(text + " {##Verify email##} " + text));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  MESSAGE("pathological matches took " << std::chrono::duration<double>(elapsed).count() << " s");
}

TEST_CASE("pattern: invalid UTF-8 never matches") {
  auto pattern = Pattern::Compile("(?s).*");
  CHECK(pattern->FullMatch("ok"));
  CHECK_FALSE(pattern->FullMatch(std::string("a\xff" "b")));
  CHECK_FALSE(pattern->FullMatch(std::string("\xc3")));
}

TEST_CASE("pattern: bad patterns throw") {
  CHECK_THROWS_AS(Pattern::Compile("[abc"), std::runtime_error);
  CHECK_THROWS_AS(Pattern::Compile("(abc"), std::runtime_error);
  CHECK_THROWS_AS(Pattern::Compile("\\p{NoSuchClass}"), std::runtime_error);
}

TEST_CASE("pattern: concurrent matching from many threads") {
  auto pattern = Pattern::Compile(R"([\w-]+_[0-9a-zA-Z]+)");  // JIT happens under the race
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&pattern, &wrong, t] {
      for (int i = 0; i < 2000; ++i) {
        const bool expected = (i + t) % 2 == 0;
        const bool got = pattern->FullMatch(expected ? "us-east-1_abc" : "us east");
        if (got != expected) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong.load() == 0);
}

}  // namespace
}  // namespace cogemu::protocol
