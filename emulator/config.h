// Config: everything the command line (or COGNITO_EMULATOR_* environment variables) can set.
// Built once in main() and passed down by reference; there are no global settings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cogemu {

struct Config {
  std::string host = "127.0.0.1";
  int port = 9329;                 // 0 picks a free port
  std::string data_dir;            // empty: DefaultDataDir()
  bool ephemeral = false;          // temporary store, removed at exit
  std::optional<uint64_t> seed;    // repeatable IDs and secrets
  std::string account_id = "000000000000";
  std::string region = "us-east-1";  // for calls that carry no SigV4 credential scope
  std::string log_level = "info";
  size_t max_body_bytes = 1 << 20;
  // Token issuer: "aws" = https://cognito-idp.<region>.amazonaws.com/<poolId> (what AWS's
  // verifiers and identity-pool login keys expect), "local" = <public_url>/<poolId>.
  std::string issuer = "aws";
  std::string public_url;          // http://host:port once bound; set by main()
  std::vector<std::string> fixtures;  // fixture documents applied at start-up
  std::string clock;               // start the clock here (ISO-8601 or epoch seconds)
  bool freeze_clock = false;       // and keep it still until told otherwise
  std::string control_token;       // require "Authorization: Bearer <token>" on /_emulator/*
  bool no_control = false;         // serve no control API at all
  int threads = 0;                 // 0: the server default (32)
  // PBKDF2 rounds for new password hashes (stored hashes keep their own count). Low by default:
  // test suites set thousands of passwords, and nobody should keep real ones here.
  int password_iterations = 100;
  // How far an SRP proof's TIMESTAMP (the client's clock) may be from the emulator clock, in
  // seconds; 0 turns the check off.
  int64_t max_clock_skew = 300;
};

// $COGNITO_EMULATOR_DATA_DIR is read by the flag parser; this is the fallback:
// $XDG_DATA_HOME/cognito-emulator, else ~/.local/share/cognito-emulator, else ./.cognito-emulator.
std::string DefaultDataDir();

// Parses argv (CLI11). Returns nullopt after printing help/version/errors; `exit_code` is set.
std::optional<Config> ParseCommandLine(int argc, char** argv, int& exit_code);

}  // namespace cogemu
