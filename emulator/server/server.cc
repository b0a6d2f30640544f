#include "emulator/server/server.h"

#include <httplib.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "emulator/log.h"
#include "emulator/protocol/wire.h"

namespace cogemu::server {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kDefaultThreads = 32;

constexpr const char* kExposeHeaders = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";
constexpr const char* kDefaultAllowHeaders =
    "amz-sdk-invocation-id,amz-sdk-request,authorization,cache-control,content-type,pragma,"
    "x-amz-content-sha256,x-amz-date,x-amz-security-token,x-amz-target,x-amz-user-agent";

// Every response, errors included, carries the CORS headers browsers need to read it.
void Cors(const httplib::Request& req, httplib::Response& res) {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty()) {
    res.set_header("Access-Control-Allow-Origin", "*");
  } else {
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Allow-Credentials", "true");
    res.set_header("Vary", "Origin");
  }
  res.set_header("Access-Control-Expose-Headers", kExposeHeaders);
}

void LogRequest(const httplib::Request& req, const std::string& what, int status,
                Clock::time_point start, const std::string& request_id) {
  if (!log::Enabled(log::Level::kInfo)) return;
  const double ms =
      std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2fms", ms);
  std::string line = req.method + " " + req.path + " " + what + " " + std::to_string(status) +
                     " " + buf;
  if (!request_id.empty()) line += " " + request_id;
  log::Info(line);
}

void WriteJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(protocol::Dump(body), "application/json");
}

}  // namespace

Server::Server(const Config& config, api::Dispatcher& dispatcher, control::ControlApi& control)
    : config_(config), dispatcher_(dispatcher), control_(control),
      http_(std::make_unique<httplib::Server>()) {
  http_->set_tcp_nodelay(true);
  http_->set_keep_alive_max_count(100000);
  // cpp-httplib gives each connection a worker thread for as long as it stays open; a short idle
  // timeout frees threads for waiting connections (reuse on loopback is cheap).
  http_->set_keep_alive_timeout(2);
  http_->set_payload_max_length(config_.max_body_bytes);
  // Writers on a durable store wait for their batch's fsync; enough threads keep batches full.
  const size_t n = config_.threads > 0 ? static_cast<size_t>(config_.threads) : kDefaultThreads;
  http_->new_task_queue = [n] { return new httplib::ThreadPool(n); };
  Routes();
}

Server::~Server() = default;

void Server::Routes() {
  // AWS JSON 1.1, both services.
  http_->Post("/", [this](const httplib::Request& req, httplib::Response& res) {
    const auto start = Clock::now();
    const std::string target = req.get_header_value("X-Amz-Target");
    const std::string content_type = req.get_header_value("Content-Type");
    const std::string authorization = req.get_header_value("Authorization");
    api::Outcome out = dispatcher_.Handle(api::Call{target, content_type, authorization, req.body, req.remote_addr});
    res.status = out.response.status;
    for (const auto& [name, value] : out.response.headers) res.set_header(name, value);
    res.set_content(std::move(out.response.body), std::string(protocol::kAmzJson11));
    Cors(req, res);
    std::string what = out.operation;
    if (!out.response.error_code.empty()) what += " " + out.response.error_code;
    std::string request_id;
    for (const auto& [name, value] : out.response.headers) {
      if (name == "x-amzn-RequestId") request_id = value;
    }
    LogRequest(req, what, res.status, start, request_id);
  });

  // CORS preflight, any path.
  http_->Options(R"(.*)", [](const httplib::Request& req, httplib::Response& res) {
    Cors(req, res);
    res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
    const std::string requested = req.get_header_value("Access-Control-Request-Headers");
    res.set_header("Access-Control-Allow-Headers", requested.empty() ? kDefaultAllowHeaders : requested);
    res.set_header("Access-Control-Max-Age", "172800");
    res.status = 204;
  });

  // Control API (unless --no-control), behind a bearer token when --control-token is set.
  // JSON routes outside the AWS protocol: the control API (guarded by --control-token when set)
  // and the per-pool discovery documents (always open).
  auto json_route = [this](const char* label, bool guarded, auto fn) {
    return [this, label, guarded, fn](const httplib::Request& req, httplib::Response& res) {
      const auto start = Clock::now();
      control::Reply reply;
      if (guarded && !config_.control_token.empty() &&
          req.get_header_value("Authorization") != "Bearer " + config_.control_token) {
        reply = control::Reply{401, nlohmann::json{{"error", "the control API needs Authorization: Bearer <token>"}}};
        res.set_header("WWW-Authenticate", "Bearer");
      } else {
        try {
          reply = fn(req);
        } catch (const std::exception& e) {
          reply = control::Reply{500, nlohmann::json{{"error", e.what()}}};
        }
      }
      WriteJson(res, reply.status, reply.body);
      Cors(req, res);
      LogRequest(req, label, res.status, start, "");
    };
  };
  auto control = [&json_route](auto fn) { return json_route("control", true, fn); };
  auto public_route = [&json_route](auto fn) { return json_route("discovery", false, fn); };
  if (!config_.no_control) {
    using R = const httplib::Request&;
    auto& c = control_;
    http_->Get("/_emulator/health", control([&c](R) { return c.Health(); }));
    http_->Get("/_emulator/clock", control([&c](R) { return c.GetClock(); }));
    http_->Post("/_emulator/clock", control([&c](R req) { return c.PostClock(req.body); }));
    auto reset = [&c](R req) {
      const bool fixtures = req.get_param_value("to") == "fixtures" ||
                            req.body.find("\"fixtures\":true") != std::string::npos ||
                            req.body.find("\"fixtures\": true") != std::string::npos;
      return c.Reset(fixtures);
    };
    http_->Post("/_emulator/reset", control(reset));
    http_->Post("/moto-api/reset", control(reset));  // suites written for moto's server mode
    http_->Get("/_emulator/messages", control([&c](R req) {
      return c.Messages(req.get_param_value("userPoolId"), req.get_param_value("username"));
    }));
    http_->Delete("/_emulator/messages", control([&c](R) { return c.ClearMessages(); }));
    http_->Get("/_emulator/snapshots", control([&c](R) { return c.ListSnapshots(); }));
    http_->Post(R"(/_emulator/snapshots/([A-Za-z0-9._-]+))", control([&c](R req) { return c.SaveSnapshot(req.matches[1]); }));
    http_->Post(R"(/_emulator/snapshots/([A-Za-z0-9._-]+)/restore)",
                control([&c](R req) { return c.RestoreSnapshot(req.matches[1]); }));
    http_->Delete(R"(/_emulator/snapshots/([A-Za-z0-9._-]+))", control([&c](R req) { return c.DeleteSnapshot(req.matches[1]); }));
    http_->Post("/_emulator/faults", control([&c](R req) { return c.AddFault(req.body); }));
    http_->Get("/_emulator/faults", control([&c](R) { return c.ListFaults(); }));
    http_->Delete("/_emulator/faults", control([&c](R) { return c.ClearFaults(); }));
    http_->Delete(R"(/_emulator/faults/([A-Za-z0-9-]+))", control([&c](R req) { return c.RemoveFault(req.matches[1]); }));
    http_->Get("/_emulator/requests", control([&c](R req) {
      return c.Requests(req.get_param_value("operation"), req.get_param_value("limit"));
    }));
    http_->Post("/_emulator/fixtures", control([&c](R req) { return c.ApplyFixtures(req.body); }));
    http_->Get("/_emulator/export", control([&c](R) { return c.Export(); }));
    http_->Get("/_emulator/identity/credentials", control([&c](R req) {
      return c.IdentityCredentials(req.get_param_value("identityId"), req.get_param_value("accessKeyId"));
    }));
    http_->Post("/_emulator/identity/providers", control([&c](R req) { return c.RegisterIdentityProvider(req.body); }));
    http_->Get("/_emulator/identity/providers", control([&c](R) { return c.ListIdentityProviders(); }));
  }

  // OpenID discovery for each user pool, at the issuer's path.
  http_->Get(R"(/([\w-]+_[0-9a-zA-Z]+)/\.well-known/jwks\.json)",
             public_route([this](const httplib::Request& req) { return control_.Jwks(req.matches[1]); }));
  http_->Get(R"(/([\w-]+_[0-9a-zA-Z]+)/\.well-known/openid-configuration)",
             public_route([this](const httplib::Request& req) { return control_.OpenIdConfiguration(req.matches[1]); }));

  // The identity pools' token keys, at the path of AWS's
  // https://cognito-identity.amazonaws.com/.well-known/jwks_uri.
  http_->Get("/.well-known/jwks_uri",
             public_route([this](const httplib::Request&) { return control_.IdentityJwks(); }));

  // Anything the routes above did not answer: unknown paths, bodies over the limit, and
  // exceptions from the HTTP layer, all as AWS-style JSON errors with CORS headers.
  http_->set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    ApiError error("", "");
    if (res.status == 413) {
      error = ApiError("RequestEntityTooLargeException", "Request body is too large.", 413);
    } else if (res.status == 404) {
      error = ApiError("UnknownOperationException",
                       "No route for " + req.method + " " + req.path + ".", 404);
    } else if (res.status == 405) {
      error = ApiError("UnknownOperationException", "Method not allowed.", 405);
    } else {
      error = ApiError("InternalErrorException", "HTTP error " + std::to_string(res.status),
                       res.status);
    }
    protocol::WireResponse wire = protocol::Error(error, "");
    for (const auto& [name, value] : wire.headers) {
      if (name != "x-amzn-RequestId") res.set_header(name, value);
    }
    res.set_content(wire.body, std::string(protocol::kAmzJson11));
    Cors(req, res);
    return httplib::Server::HandlerResponse::Handled;
  }));
  http_->set_exception_handler([](const httplib::Request& req, httplib::Response& res,
                                  std::exception_ptr) {
    protocol::WireResponse wire = protocol::Error(errors::Internal("Internal error"), "");
    res.status = 500;
    for (const auto& [name, value] : wire.headers) {
      if (name != "x-amzn-RequestId") res.set_header(name, value);
    }
    res.set_content(wire.body, std::string(protocol::kAmzJson11));
    Cors(req, res);
  });
}

int Server::Bind() {
  int port = config_.port;
  if (port == 0) {
    port = http_->bind_to_any_port(config_.host);
    if (port <= 0) throw std::runtime_error("cannot bind " + config_.host + " on a free port");
  } else if (!http_->bind_to_port(config_.host, port)) {
    throw std::runtime_error("cannot bind " + config_.host + ":" + std::to_string(port));
  }
  return port;
}

bool Server::Run() { return http_->listen_after_bind(); }

void Server::Stop() { http_->stop(); }

}  // namespace cogemu::server
