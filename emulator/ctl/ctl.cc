#include "emulator/ctl/ctl.h"

#include <httplib.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cogemu::ctl {
namespace {

using json = nlohmann::json;

struct Target {
  std::string endpoint;
  std::string token;
};

// Sends one request to the control API and prints the JSON answer; non-2xx exits 1.
int Send(const Target& t, const std::string& method, const std::string& path, const std::string& body = "") {
  httplib::Client client(t.endpoint);
  client.set_connection_timeout(5);
  client.set_read_timeout(60);
  httplib::Headers headers;
  if (!t.token.empty()) headers.emplace("Authorization", "Bearer " + t.token);
  httplib::Result res = method == "GET"      ? client.Get(path, headers)
                        : method == "DELETE" ? client.Delete(path, headers)
                                             : client.Post(path, headers, body.empty() ? "{}" : body,
                                                           "application/json");
  if (!res) {
    std::cerr << "cognito-emulator ctl: cannot reach " << t.endpoint << " (" << httplib::to_string(res.error())
              << ")\n";
    return 2;
  }
  json parsed = json::parse(res->body, nullptr, false);
  (res->status >= 200 && res->status < 300 ? std::cout : std::cerr)
      << (parsed.is_discarded() ? res->body : parsed.dump(2)) << "\n";
  return res->status >= 200 && res->status < 300 ? 0 : 1;
}

std::string UrlEncode(const std::string& s) {
  std::ostringstream out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out << c;
    } else {
      out << '%' << "0123456789ABCDEF"[c >> 4] << "0123456789ABCDEF"[c & 15];
    }
  }
  return out.str();
}

}  // namespace

std::optional<double> ParseDuration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  double scale = 1;
  std::string number = text;
  switch (text.back()) {
    case 's': scale = 1; number.pop_back(); break;
    case 'm': scale = 60; number.pop_back(); break;
    case 'h': scale = 3600; number.pop_back(); break;
    case 'd': scale = 86400; number.pop_back(); break;
    default: break;
  }
  try {
    size_t used = 0;
    const double v = std::stod(number, &used);
    if (used != number.size()) return std::nullopt;
    return v * scale;
  } catch (...) {
    return std::nullopt;
  }
}

int Main(int argc, char** argv) {
  CLI::App app{"Control a running cognito-emulator (its /_emulator API).", "cognito-emulator ctl"};
  Target t;
  const char* env_endpoint = std::getenv("COGNITO_EMULATOR_ENDPOINT");
  t.endpoint = env_endpoint && *env_endpoint ? env_endpoint : "http://127.0.0.1:9329";
  app.add_option("--endpoint", t.endpoint, "Emulator URL ($COGNITO_EMULATOR_ENDPOINT)")->capture_default_str();
  app.add_option("--token", t.token, "Control token, if the emulator runs with --control-token")
      ->envname("COGNITO_EMULATOR_CONTROL_TOKEN");
  app.require_subcommand(1);
  int code = 0;

  app.add_subcommand("health", "Is it up?")->callback([&] { code = Send(t, "GET", "/_emulator/health"); });

  auto* clock = app.add_subcommand("clock", "Show, set, advance or freeze the emulator clock");
  clock->callback([&] {
    if (clock->get_subcommands().empty()) code = Send(t, "GET", "/_emulator/clock");
  });
  std::string when, by;
  clock->add_subcommand("set", "Jump to a time (ISO-8601 or epoch seconds)")
      ->callback([&] {
        json body;
        try {
          size_t used = 0;
          const double v = std::stod(when, &used);
          body = used == when.size() ? json{{"set", v}} : json{{"set", when}};
        } catch (...) {
          body = json{{"set", when}};
        }
        code = Send(t, "POST", "/_emulator/clock", body.dump());
      })
      ->add_option("time", when)
      ->required();
  clock->add_subcommand("advance", "Move forward by a duration: 90, 90s, 15m, 1h, 2d")
      ->callback([&] {
        auto seconds = ParseDuration(by);
        if (!seconds) {
          std::cerr << "cognito-emulator ctl: not a duration: " << by << "\n";
          code = 2;
          return;
        }
        code = Send(t, "POST", "/_emulator/clock", json{{"advance", *seconds}}.dump());
      })
      ->add_option("duration", by)
      ->required();
  clock->add_subcommand("freeze", "Stop the clock")->callback([&] {
    code = Send(t, "POST", "/_emulator/clock", R"({"freeze":true})");
  });
  clock->add_subcommand("unfreeze", "Let the clock run")->callback([&] {
    code = Send(t, "POST", "/_emulator/clock", R"({"freeze":false})");
  });

  auto* messages = app.add_subcommand("messages", "Codes and temporary passwords the emulator sent");
  std::string pool, user;
  bool clear = false;
  messages->add_option("--pool", pool, "User pool ID");
  messages->add_option("--user", user, "Username or destination");
  messages->add_flag("--clear", clear, "Empty the outbox");
  messages->callback([&] {
    if (clear) {
      code = Send(t, "DELETE", "/_emulator/messages");
      return;
    }
    code = Send(t, "GET", "/_emulator/messages?userPoolId=" + UrlEncode(pool) + "&username=" + UrlEncode(user));
  });

  auto* fixtures = app.add_subcommand("fixtures", "Apply a fixture document");
  fixtures->require_subcommand(1);
  std::string file;
  fixtures->add_subcommand("apply", "Apply FILE (all or nothing)")
      ->callback([&] {
        std::ifstream in(file, std::ios::binary);
        if (!in) {
          std::cerr << "cognito-emulator ctl: cannot read " << file << "\n";
          code = 2;
          return;
        }
        std::stringstream buf;
        buf << in.rdbuf();
        code = Send(t, "POST", "/_emulator/fixtures", buf.str());
      })
      ->add_option("file", file)
      ->required();
  app.add_subcommand("export", "Print the whole state as a fixture document")->callback([&] {
    code = Send(t, "GET", "/_emulator/export");
  });

  bool to_fixtures = false;
  auto* reset = app.add_subcommand("reset", "Wipe all state");
  reset->add_flag("--to-fixtures", to_fixtures, "Return to the state right after the start-up fixtures");
  reset->callback([&] { code = Send(t, "POST", "/_emulator/reset", json{{"fixtures", to_fixtures}}.dump()); });

  auto* snapshot = app.add_subcommand("snapshot", "Save, restore, list or delete snapshots");
  snapshot->require_subcommand(1);
  std::string name;
  snapshot->add_subcommand("save", "Save the state as NAME")
      ->callback([&] { code = Send(t, "POST", "/_emulator/snapshots/" + UrlEncode(name)); })
      ->add_option("name", name)->required();
  snapshot->add_subcommand("restore", "Return to snapshot NAME")
      ->callback([&] { code = Send(t, "POST", "/_emulator/snapshots/" + UrlEncode(name) + "/restore"); })
      ->add_option("name", name)->required();
  snapshot->add_subcommand("delete", "Forget snapshot NAME")
      ->callback([&] { code = Send(t, "DELETE", "/_emulator/snapshots/" + UrlEncode(name)); })
      ->add_option("name", name)->required();
  snapshot->add_subcommand("list", "List snapshots")->callback([&] { code = Send(t, "GET", "/_emulator/snapshots"); });

  auto* faults = app.add_subcommand("faults", "Inject, list or remove faults");
  faults->require_subcommand(1);
  std::string operation, error, message, fault_id;
  int count = 1, status = 0;
  long delay_ms = 0;
  json match;
  std::string match_text;
  auto* add = faults->add_subcommand("add", "Make calls fail (or slow down)");
  add->add_option("--operation", operation, "Operation name, service.Operation, or *")->required();
  add->add_option("--error", error, "Error name, e.g. TooManyRequestsException");
  add->add_option("--message", message, "Error message");
  add->add_option("--count", count, "How many calls (-1: until removed)")->capture_default_str();
  add->add_option("--status", status, "HTTP status (default 400, 500 for InternalErrorException)");
  add->add_option("--delay-ms", delay_ms, "Delay before answering");
  add->add_option("--match", match_text, "JSON object the call's input must contain");
  add->callback([&] {
    json spec = {{"operation", operation}, {"count", count}};
    if (!error.empty()) spec["error"] = error;
    if (!message.empty()) spec["message"] = message;
    if (status) spec["statusCode"] = status;
    if (delay_ms) spec["delayMs"] = delay_ms;
    if (!match_text.empty()) {
      match = json::parse(match_text, nullptr, false);
      if (!match.is_object()) {
        std::cerr << "cognito-emulator ctl: --match must be a JSON object\n";
        code = 2;
        return;
      }
      spec["match"] = match;
    }
    code = Send(t, "POST", "/_emulator/faults", spec.dump());
  });
  faults->add_subcommand("list", "List active faults")->callback([&] { code = Send(t, "GET", "/_emulator/faults"); });
  faults->add_subcommand("clear", "Remove every fault")->callback([&] { code = Send(t, "DELETE", "/_emulator/faults"); });
  faults->add_subcommand("remove", "Remove one fault")
      ->callback([&] { code = Send(t, "DELETE", "/_emulator/faults/" + UrlEncode(fault_id)); })
      ->add_option("id", fault_id)->required();

  auto* requests = app.add_subcommand("requests", "Recent calls with their inputs and results");
  std::string req_op;
  int limit = 20;
  requests->add_option("--operation", req_op, "Only this operation");
  requests->add_option("--limit", limit, "How many (newest first)")->capture_default_str();
  requests->callback([&] {
    code = Send(t, "GET", "/_emulator/requests?operation=" + UrlEncode(req_op) + "&limit=" + std::to_string(limit));
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return code;
}

}  // namespace cogemu::ctl
