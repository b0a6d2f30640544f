#include "emulator/config.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

namespace cogemu {

std::string DefaultDataDir() {
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/cognito-emulator";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.local/share/cognito-emulator";
  }
  return ".cognito-emulator";
}

std::optional<Config> ParseCommandLine(int argc, char** argv, int& exit_code) {
  Config c;
  CLI::App app{
      "cognito-emulator: a local Amazon Cognito (cognito-idp and cognito-identity) that speaks "
      "the AWS JSON 1.1 protocol.\nEvery option can also be set as COGNITO_EMULATOR_<OPTION> "
      "(e.g. COGNITO_EMULATOR_PORT=9329).",
      "cognito-emulator"};
  app.set_version_flag("--version", std::string("cognito-emulator ") + COGEMU_VERSION);
  app.add_option("--host", c.host, "Address to listen on")
      ->envname("COGNITO_EMULATOR_HOST")
      ->capture_default_str();
  app.add_option("--port", c.port, "Port to listen on (0 picks a free port)")
      ->envname("COGNITO_EMULATOR_PORT")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  auto* data_dir = app.add_option("--data-dir", c.data_dir,
                                  "Directory of the persistent LMDB store (default: " +
                                      DefaultDataDir() + ")")
                       ->envname("COGNITO_EMULATOR_DATA_DIR");
  app.add_flag("--ephemeral", c.ephemeral,
               "Keep all state in a temporary store that is removed at exit")
      ->envname("COGNITO_EMULATOR_EPHEMERAL")
      ->excludes(data_dir);
  app.add_option("--seed", c.seed, "Seed for generated IDs and secrets (repeatable runs)")
      ->envname("COGNITO_EMULATOR_SEED");
  app.add_option("--account-id", c.account_id, "AWS account ID used in ARNs")
      ->envname("COGNITO_EMULATOR_ACCOUNT_ID")
      ->check([](const std::string& v) {
        return v.size() == 12 && v.find_first_not_of("0123456789") == std::string::npos
                   ? std::string()
                   : std::string("account id must be 12 digits");
      })
      ->capture_default_str();
  app.add_option("--region", c.region,
                 "Region for requests that carry no SigV4 credential scope")
      ->envname("COGNITO_EMULATOR_REGION")
      ->capture_default_str();
  app.add_option("--log-level", c.log_level, "debug, info, warn or error")
      ->envname("COGNITO_EMULATOR_LOG_LEVEL")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--issuer", c.issuer,
                 "Token issuer: aws (https://cognito-idp.<region>.amazonaws.com/<pool>) or local "
                 "(http://<host>:<port>/<pool>)")
      ->envname("COGNITO_EMULATOR_ISSUER")
      ->check(CLI::IsMember({"aws", "local"}))
      ->capture_default_str();
  app.add_option("--fixtures", c.fixtures,
                 "Fixture document applied at start-up (repeatable; idempotent across restarts)")
      ->envname("COGNITO_EMULATOR_FIXTURES")
      ->check(CLI::ExistingFile);
  app.add_option("--clock", c.clock, "Start the emulator clock at this time (ISO-8601 or epoch seconds)")
      ->envname("COGNITO_EMULATOR_CLOCK");
  app.add_flag("--freeze-clock", c.freeze_clock, "Keep the emulator clock still until told otherwise")
      ->envname("COGNITO_EMULATOR_FREEZE_CLOCK");
  app.add_option("--control-token", c.control_token,
                 "Require 'Authorization: Bearer <token>' on the control API")
      ->envname("COGNITO_EMULATOR_CONTROL_TOKEN");
  app.add_flag("--no-control", c.no_control, "Serve no control API (/_emulator/*)")
      ->envname("COGNITO_EMULATOR_NO_CONTROL");
  app.add_option("--threads", c.threads, "Worker threads (0: default)")
      ->envname("COGNITO_EMULATOR_THREADS")
      ->check(CLI::Range(0, 256));
  app.add_option("--password-iterations", c.password_iterations,
                 "PBKDF2-HMAC-SHA256 rounds for new password hashes (low by default: test speed)")
      ->envname("COGNITO_EMULATOR_PASSWORD_ITERATIONS")
      ->check(CLI::Range(1, 10'000'000))
      ->capture_default_str();
  app.add_option("--max-clock-skew", c.max_clock_skew,
                 "Seconds an SRP proof's TIMESTAMP (client clock) may differ from the emulator "
                 "clock; 0 turns the check off")
      ->envname("COGNITO_EMULATOR_MAX_CLOCK_SKEW")
      ->check(CLI::Range(int64_t{0}, int64_t{100} * 365 * 86400))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  }
  if (c.data_dir.empty()) c.data_dir = DefaultDataDir();
  return c;
}

}  // namespace cogemu
