// `cognito-emulator ctl …`: a human CLI for the control API of a running emulator.
#pragma once

#include <optional>
#include <string>

namespace cogemu::ctl {

// Parses "90", "90s", "15m", "1h", "2d" (optionally negative) into seconds.
std::optional<double> ParseDuration(const std::string& text);

// argv[0] is "ctl". Returns the process exit code.
int Main(int argc, char** argv);

}  // namespace cogemu::ctl
