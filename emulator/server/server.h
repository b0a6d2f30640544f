// The HTTP front: cpp-httplib routes for the AWS JSON 1.1 endpoint (POST /, both services), the
// control API (/_emulator/*) and CORS, with TCP_NODELAY, long keep-alive, a body-size limit
// and one log line per request.
#pragma once

#include <memory>
#include <string>

#include "emulator/api/dispatch.h"
#include "emulator/clock.h"
#include "emulator/config.h"
#include "emulator/control/control.h"

namespace httplib {
class Server;
}

namespace cogemu::server {

class Server {
 public:
  Server(const Config& config, api::Dispatcher& dispatcher, control::ControlApi& control);
  ~Server();

  // Binds config.host:config.port (0 = any free port); returns the bound port or throws.
  int Bind();
  // Serves until Stop(); returns false if the listener failed.
  bool Run();
  void Stop();

 private:
  void Routes();

  const Config& config_;
  api::Dispatcher& dispatcher_;
  control::ControlApi& control_;
  std::unique_ptr<httplib::Server> http_;
};

}  // namespace cogemu::server
