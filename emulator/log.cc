#include "emulator/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <string>

namespace cogemu::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mu;
constexpr const char* kNames[] = {"DEBUG", "INFO", "WARN", "ERROR"};

}  // namespace

void SetLevel(Level level) { g_level = static_cast<int>(level); }

bool ParseLevel(std::string_view name, Level& out) {
  if (name == "debug") out = Level::kDebug;
  else if (name == "info") out = Level::kInfo;
  else if (name == "warn") out = Level::kWarn;
  else if (name == "error") out = Level::kError;
  else return false;
  return true;
}

bool Enabled(Level level) { return static_cast<int>(level) >= g_level.load(); }

void Write(Level level, std::string_view line) {
  if (!Enabled(level)) return;
  std::string text = kNames[static_cast<int>(level)];
  text += ' ';
  text += line;
  text += '\n';
  std::lock_guard lock(g_mu);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace cogemu::log
