// Minimal leveled logging to stderr, one line per call, safe from many threads.
#pragma once

#include <string_view>

namespace cogemu::log {

enum class Level { kDebug = 0, kInfo, kWarn, kError };

void SetLevel(Level level);
bool ParseLevel(std::string_view name, Level& out);
bool Enabled(Level level);
void Write(Level level, std::string_view line);

inline void Debug(std::string_view line) { Write(Level::kDebug, line); }
inline void Info(std::string_view line) { Write(Level::kInfo, line); }
inline void Warn(std::string_view line) { Write(Level::kWarn, line); }
inline void Error(std::string_view line) { Write(Level::kError, line); }

}  // namespace cogemu::log
