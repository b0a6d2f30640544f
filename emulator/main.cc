// cognito-emulator: parse the command line, open the store, start serving, stop cleanly on
// SIGINT/SIGTERM. The only main().
#include <signal.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <future>
#include <thread>

#include "emulator/api/dispatch.h"
#include "emulator/api/faults.h"
#include "emulator/api/history.h"
#include "emulator/fixtures/fixtures.h"
#include "emulator/clock.h"
#include "emulator/config.h"
#include "emulator/control/control.h"
#include "emulator/ctl/ctl.h"
#include "emulator/idp/signing_keys.h"
#include "emulator/idp/users.h"
#include "emulator/log.h"
#include "emulator/random.h"
#include "emulator/server/server.h"
#include "emulator/store/store.h"

namespace {

// A temporary directory removed when the process ends normally.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/cognito-emulator-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary directory");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace cogemu;
  if (argc > 1 && std::string_view(argv[1]) == "ctl") return ctl::Main(argc - 1, argv + 1);
  int exit_code = 0;
  std::optional<Config> parsed = ParseCommandLine(argc, argv, exit_code);
  if (!parsed) return exit_code;
  const Config& config = *parsed;
  log::Level level;
  if (log::ParseLevel(config.log_level, level)) log::SetLevel(level);

  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  try {
    std::unique_ptr<TempDir> temp;
    store::EnvOptions store_options;
    if (config.ephemeral) {
      temp = std::make_unique<TempDir>();
      store_options.path = temp->path();
      store_options.durable = false;
    } else {
      store_options.path = config.data_dir;
    }
    store::Env env(store_options);
    {
      store::Txn txn(env, store::Txn::Mode::kWrite);
      if (const size_t n = idp::BackfillSearchIndex(txn)) {
        txn.Commit();
        log::Info("store: indexed " + std::to_string(n) + " users for ListUsers filters");
      }
    }
    // Data directories written before SRP verifiers were stored keep the verifier's input
    // instead: derive the verifiers once, and drop the input.
    if (const size_t n = idp::MigrateLegacySrp(env)) {
      log::Info("store: derived SRP verifiers for " + std::to_string(n) + " users");
    }
    Config effective = config;
    ControllableClock clock;
    std::unique_ptr<Random> random = MakeRandom(effective.seed);
    if (!config.clock.empty()) {
      std::optional<int64_t> start = control::ParseIso8601(config.clock);
      if (!start) {
        try {
          size_t used = 0;
          const double seconds = std::stod(config.clock, &used);
          if (used == config.clock.size()) start = static_cast<int64_t>(seconds * 1000.0);
        } catch (...) {
        }
      }
      if (!start) throw std::runtime_error("--clock takes ISO-8601 or epoch seconds, not " + config.clock);
      clock.Set(*start);
    }
    if (config.freeze_clock) clock.Freeze(true);
    idp::SigningKeys signing_keys(effective.seed);
    api::FaultInjector faults;
    api::RequestHistory history;
    api::Services services{&signing_keys, &faults, &history};
    api::Dispatcher dispatcher(env, clock, *random, effective, services);
    control::ControlApi control(clock, env, effective, services, *random);
    if (!config.fixtures.empty()) {
      for (const std::string& file : config.fixtures) {
        std::ifstream in(file, std::ios::binary);
        nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
        if (!in || !doc.is_object()) throw std::runtime_error("--fixtures " + file + ": not a JSON object");
        api::RequestInfo info{"fixtures", "", "", effective.region, ""};
        store::Txn txn(env, store::Txn::Mode::kWrite);
        api::Context ctx{txn, clock, *random, effective, info, services};
        try {
          nlohmann::json result = fixtures::ApplyOnce(ctx, doc);
          txn.Commit();
          log::Info("fixtures " + file + (result.value("skipped", false) ? ": already applied" : ": applied"));
        } catch (const ApiError& e) {
          throw std::runtime_error("--fixtures " + file + ": " + e.message());
        }
      }
      control.SetStartupSnapshot(env.TakeSnapshot());
    }
    server::Server http(effective, dispatcher, control);
    const int port = http.Bind();

    const std::string host = config.host.find(':') != std::string::npos ? "[" + config.host + "]" : config.host;
    // Handlers only read the config while serving; the public URL is known once bound.
    effective.public_url = "http://" + host + ":" + std::to_string(port);
    std::promise<void> stopped;
    std::future<void> serving_done = stopped.get_future();
    std::thread serving([&] {
      if (!http.Run()) log::Error("the HTTP listener stopped with an error");
      stopped.set_value();
      // Wake the main thread if the listener ends on its own.
      kill(getpid(), SIGTERM);
    });
    std::printf("cognito-emulator listening on http://%s:%d\n", host.c_str(), port);
    std::fflush(stdout);
    log::Info(std::string("store: ") + (config.ephemeral ? "ephemeral " : "") + env.path());

    int sig = 0;
    sigwait(&stop_signals, &sig);
    http.Stop();
    // Idle keep-alive connections hold worker threads until their timeout; every answered
    // request is already committed, so don't make the caller wait for them.
    if (serving_done.wait_for(std::chrono::milliseconds(300)) != std::future_status::ready) {
      log::Info("stopped (closing idle connections)");
      temp.reset();  // remove an ephemeral store before leaving
      std::fflush(stderr);
      std::_Exit(0);
    }
    serving.join();
    log::Info("stopped");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cognito-emulator: %s\n", e.what());
    return 1;
  }
  return 0;
}
