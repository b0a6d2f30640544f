#include "emulator/protocol/pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdexcept>
#include <vector>

namespace cogemu::protocol {
namespace {

// What Java's `.` matches without DOTALL: anything but a line terminator.
constexpr std::string_view kJavaDot = "[^\\n\\r\\x{85}\\x{2028}\\x{2029}]";

// Limits applied to every match. The interpreter keeps its backtracking frames on the heap, so
// the heap limit (KiB) bounds memory and the match limit bounds time.
constexpr uint32_t kHeapLimitKib = 64 * 1024;
constexpr size_t kJitStackMin = 32 * 1024;
constexpr size_t kJitStackMax = 1024 * 1024;

pcre2_code* Code(void* code) { return static_cast<pcre2_code*>(code); }

// Per-thread match state: one match data block (a single ovector pair is enough: a return of 0
// still means "matched"), a match context with the limits, and a JIT stack.
struct ThreadMatchState {
  pcre2_match_data* match_data = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;

  ThreadMatchState() {
    match_data = pcre2_match_data_create(1, nullptr);
    context = pcre2_match_context_create(nullptr);
    if (context != nullptr) {
      pcre2_set_match_limit(context, Pattern::kMatchLimit);
      pcre2_set_depth_limit(context, Pattern::kMatchLimit);
      pcre2_set_heap_limit(context, kHeapLimitKib);
      jit_stack = pcre2_jit_stack_create(kJitStackMin, kJitStackMax, nullptr);
      if (jit_stack != nullptr) pcre2_jit_stack_assign(context, nullptr, jit_stack);
    }
  }
  ~ThreadMatchState() {
    if (jit_stack != nullptr) pcre2_jit_stack_free(jit_stack);
    if (context != nullptr) pcre2_match_context_free(context);
    if (match_data != nullptr) pcre2_match_data_free(match_data);
  }
  ThreadMatchState(const ThreadMatchState&) = delete;
  ThreadMatchState& operator=(const ThreadMatchState&) = delete;
};

ThreadMatchState& MatchState() {
  thread_local ThreadMatchState state;
  return state;
}

// Applies the flags of an inline group "(?ims-ims)" / "(?ims-ims:" to `dotall`.
void ApplyFlags(std::string_view flags, bool& dotall) {
  bool on = true;
  for (char c : flags) {
    if (c == '-') {
      on = false;
    } else if (c == 's') {
      dotall = on;
    }
  }
}

}  // namespace

std::string TranslateJavaPattern(std::string_view java) {
  std::string out;
  out.reserve(java.size() + 16);
  bool in_class = false;
  bool dotall = false;
  std::vector<bool> saved;  // dotall of the enclosing group, one entry per open group
  size_t i = 0;
  while (i < java.size()) {
    const char c = java[i];
    if (c == '\\') {
      if (i + 1 >= java.size()) {  // trailing backslash: let PCRE2 report it
        out += c;
        ++i;
        continue;
      }
      const char next = java[i + 1];
      if (next == 'Q') {  // \Q...\E quotes verbatim; PCRE2 understands it the same way
        const size_t end = java.find("\\E", i + 2);
        const size_t stop = end == std::string_view::npos ? java.size() : end + 2;
        out.append(java.substr(i, stop - i));
        i = stop;
        continue;
      }
      const size_t len = (next == 'c' && i + 2 < java.size()) ? 3 : 2;  // \cX takes one more
      out.append(java.substr(i, len));
      i += len;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      ++i;
      continue;
    }
    switch (c) {
      case '[': {
        in_class = true;
        out += c;
        ++i;
        if (i < java.size() && java[i] == '^') out += java[i++];
        if (i < java.size() && java[i] == ']') out += java[i++];  // leading ']' is literal
        continue;
      }
      case '(': {
        if (i + 1 < java.size() && java[i + 1] == '?') {
          size_t j = i + 2;
          while (j < java.size() && ((java[j] >= 'a' && java[j] <= 'z') ||
                                     (java[j] >= 'A' && java[j] <= 'Z') || java[j] == '-')) {
            ++j;
          }
          if (j < java.size() && j > i + 2 && (java[j] == ')' || java[j] == ':')) {
            const std::string_view flags = java.substr(i + 2, j - i - 2);
            if (java[j] == ':') saved.push_back(dotall);  // scoped to the new group
            ApplyFlags(flags, dotall);                    // ')' form: rest of this group
            out.append(java.substr(i, j + 1 - i));
            i = j + 1;
            continue;
          }
        }
        saved.push_back(dotall);
        out += c;
        ++i;
        continue;
      }
      case ')': {
        if (!saved.empty()) {
          dotall = saved.back();
          saved.pop_back();
        }
        out += c;
        ++i;
        continue;
      }
      case '.': {
        if (dotall) {
          out += c;
        } else {
          out.append(kJavaDot);
        }
        ++i;
        continue;
      }
      default:
        out += c;
        ++i;
    }
  }
  return out;
}

std::unique_ptr<Pattern> Pattern::Compile(std::string_view java_pattern) {
  const std::string translated = TranslateJavaPattern(java_pattern);
  int error_code = 0;
  PCRE2_SIZE error_offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                    PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_NEVER_BACKSLASH_C,
                    &error_code, &error_offset, nullptr);
  if (code == nullptr) {
    PCRE2_UCHAR buffer[256];
    pcre2_get_error_message(error_code, buffer, sizeof(buffer));
    throw std::runtime_error("bad pattern '" + std::string(java_pattern) + "' at offset " +
                             std::to_string(error_offset) + ": " +
                             reinterpret_cast<const char*>(buffer));
  }
  std::unique_ptr<Pattern> pattern(new Pattern(std::string(java_pattern)));
  pattern->code_ = code;
  return pattern;
}

Pattern::~Pattern() { pcre2_code_free(Code(code_)); }

void Pattern::EnsureJit() const {
  std::call_once(jit_once_,
                 [this] { jit_ok_ = pcre2_jit_compile(Code(code_), PCRE2_JIT_COMPLETE) == 0; });
}

bool Pattern::FullMatch(std::string_view subject) const {
  EnsureJit();
  ThreadMatchState& state = MatchState();
  if (state.match_data == nullptr || state.context == nullptr) return false;  // out of memory
  const auto* data = reinterpret_cast<PCRE2_SPTR>(subject.data());
  int rc = pcre2_match(Code(code_), data, subject.size(), 0, 0, state.match_data, state.context);
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT && jit_ok_) {
    // The JIT ran out of stack on a huge subject: the interpreter works on the heap instead.
    rc = pcre2_match(Code(code_), data, subject.size(), 0, PCRE2_NO_JIT, state.match_data,
                     state.context);
  }
  return rc >= 0;
}

}  // namespace cogemu::protocol
