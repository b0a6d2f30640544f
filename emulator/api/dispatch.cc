#include "emulator/api/dispatch.h"

#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "emulator/api/faults.h"
#include "emulator/api/history.h"
#include "emulator/log.h"
#include "emulator/protocol/model.h"
#include "emulator/protocol/validator.h"

namespace cogemu::api {
namespace {

bool AcceptedContentType(std::string_view ct) {
  if (ct.empty()) return true;
  const size_t semi = ct.find(';');
  std::string base(ct.substr(0, semi));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (auto& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return base == "application/x-amz-json-1.1" || base == "application/x-amz-json-1.0" ||
         base == "application/json";
}

std::string NewRequestId() {
  static thread_local SystemRandom rng;
  return rng.Uuid4();
}

}  // namespace

Dispatcher::Dispatcher(store::Env& env, const Clock& clock, Random& random, const Config& config,
                       Services& services)
    : env_(env), clock_(clock), random_(random), config_(config), shared_(services) {
  if (env_.durable()) writes_ = std::make_unique<store::WriteQueue>(env_);
  for (const protocol::ServiceModel* model :
       {&protocol::IdpModel(), &protocol::IdentityModel()}) {
    services_[model->target_prefix()] = Service{model, model->endpoint_prefix()};
    for (const auto& op : model->operations()) {
      operations_[model->target_prefix() + "." + op->name] = Bound{op.get(), nullptr};
    }
  }
  for (const OperationRow& row : OperationTable()) {
    bool bound = false;
    for (auto& [prefix, service] : services_) {
      if (service.name != row.service) continue;
      auto it = operations_.find(prefix + "." + std::string(row.operation));
      if (it != operations_.end()) {
        it->second.row = &row;
        bound = true;
      }
    }
    if (!bound) {
      throw std::logic_error("operation table names an unmodeled operation: " +
                             std::string(row.service) + "." + std::string(row.operation));
    }
  }
}

namespace {

// A spare thread that takes one piece of deferred work (a token signature) off a request while
// the request thread does another, when it is idle: a sign-in's two signatures then cost the
// latency of one. When it is busy the work stays on the request thread, so under load nothing
// queues behind it.
class SpareThread {
 public:
  SpareThread() : thread_([this] { Loop(); }) {}
  ~SpareThread() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  // Starts `work` on the spare thread if it is idle; false (and `work` untouched) otherwise.
  bool TryRun(std::packaged_task<std::string()>& work) {
    std::lock_guard lock(mu_);
    if (task_ || stopping_) return false;
    task_ = std::move(work);
    cv_.notify_one();
    return true;
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [&] { return stopping_ || task_; });
      if (!task_) return;
      std::packaged_task<std::string()> work = std::move(*task_);
      lock.unlock();
      work();
      lock.lock();
      task_.reset();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<std::packaged_task<std::string()>> task_;
  bool stopping_ = false;
  std::thread thread_;
};

// Replaces Context::Defer placeholders in `output` with their values (after commit).
void ResolveDeferred(json& output, std::vector<std::function<std::string()>>& deferred) {
  if (deferred.empty()) return;
  static SpareThread spare;
  std::vector<std::string> values(deferred.size());
  std::optional<std::future<std::string>> offloaded;
  if (deferred.size() > 1) {
    std::packaged_task<std::string()> last(deferred.back());
    std::future<std::string> result = last.get_future();
    if (spare.TryRun(last)) offloaded = std::move(result);
  }
  for (size_t i = 0; i + (offloaded ? 1 : 0) < deferred.size(); ++i) values[i] = deferred[i]();
  if (offloaded) values.back() = offloaded->get();
  std::function<void(json&)> walk = [&](json& v) {
    if (v.is_object() || v.is_array()) {
      for (auto& child : v) walk(child);
    } else if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (s.rfind(Context::kDeferredPrefix, 0) == 0) {
        v = values.at(std::stoul(s.substr(Context::kDeferredPrefix.size())));
      }
    }
  };
  walk(output);
}

}  // namespace

Dispatcher::Answer Dispatcher::Run(const OperationRow& row, const json& input, RequestInfo& info) {
  // Runs the handler in `txn`; the transaction is the caller's to commit. Deferred work (token
  // signing, log lines) is done by the caller after the commit. A write request that needs slow
  // work (Context::Slow) is abandoned, the work done here, outside the write lock, and the
  // handler run again in a new transaction with the same random draws; after kSlowRounds such
  // rounds the rest is computed in place.
  constexpr int kSlowRounds = 4;
  Answer answer;
  std::vector<std::function<std::string()>> deferred;
  std::vector<std::function<void()>> after_commit;
  std::unordered_map<std::string, std::string> slow_results;
  std::optional<SlowWorkNeeded> needed;
  ReplayRandom random(random_);
  bool keep_on_error = false;
  bool defer_slow = false;
  // False when the handler stopped for slow work: its transaction must not be committed.
  auto invoke = [&](store::Txn& txn) {
    random.Rewind();
    Context ctx{txn, clock_, random, config_, info, shared_};
    ctx.slow_results = &slow_results;
    ctx.defer_slow = defer_slow;
    ctx.after_commit = &after_commit;
    try {
      answer.output = row.handler(ctx, input);
    } catch (const ApiError&) {
      keep_on_error = ctx.commit_on_error;
      if (!keep_on_error) after_commit.clear();
      throw;
    } catch (SlowWorkNeeded& work) {
      needed = std::move(work);
      after_commit.clear();
      return false;
    }
    answer.raw = std::move(ctx.raw_output);
    deferred = std::move(ctx.deferred);
    return true;
  };
  auto run_after_commit = [&] {
    for (auto& work : after_commit) work();
  };

  // A write that may need slow work first runs speculatively, without the write lock: it ends
  // there when it needs no write (an error, a refusal), and otherwise learns its slow work.
  bool write_now = row.access == Access::kWrite;
  if (row.access == Access::kSlowWrite) {
    defer_slow = true;
    store::Txn txn(env_, store::Txn::Mode::kSpeculative);
    bool finished = false;
    try {
      finished = invoke(txn);
    } catch (const store::SpeculativeWrite&) {
      needed.reset();
      after_commit.clear();
    } catch (const ApiError&) {
      if (!keep_on_error) throw;  // what it would have kept, it could not have written
    }
    if (finished) {
      run_after_commit();
      ResolveDeferred(answer.output, deferred);
      return answer;
    }
    if (needed) slow_results.emplace(std::move(needed->key), needed->compute());
    write_now = true;
  }
  for (int round = 0;; ++round) {
    defer_slow = write_now && round < kSlowRounds;
    needed.reset();
    if (!write_now) {
      store::Txn txn(env_, store::Txn::Mode::kRead);
      invoke(txn);
    } else if (!writes_) {
      // No fsync to amortise: write directly (LMDB serialises writers).
      store::Txn txn(env_, store::Txn::Mode::kWrite);
      try {
        if (invoke(txn)) txn.Commit();
      } catch (const ApiError&) {
        if (keep_on_error) {
          txn.Commit();
          run_after_commit();
        }
        throw;
      }
    } else {
      // Durable store: through the group-commit queue, one nested transaction per request.
      std::exception_ptr api_error;
      writes_->Run([&](store::Txn& txn) {
        try {
          return invoke(txn);
        } catch (const ApiError&) {
          api_error = std::current_exception();
          return keep_on_error;
        }
      });
      if (api_error) {
        if (keep_on_error) run_after_commit();
        std::rethrow_exception(api_error);
      }
    }
    if (!needed) break;
    slow_results.emplace(std::move(needed->key), needed->compute());
  }
  run_after_commit();
  ResolveDeferred(answer.output, deferred);
  return answer;
}

Outcome Dispatcher::Handle(const Call& call) {
  Outcome out;
  RequestInfo info;
  info.request_id = NewRequestId();
  info.source_ip = std::string(call.source_ip);
  out.operation = std::string(call.target);
  const auto started = std::chrono::steady_clock::now();
  try {
    auto target = protocol::ParseTarget(call.target);
    if (!target) {
      throw ApiError("UnknownOperationException",
                     call.target.empty() ? "Missing X-Amz-Target header."
                                         : "Unknown operation " + std::string(call.target) + ".");
    }
    auto sit = services_.find(target->prefix);
    auto oit = operations_.find(std::string(call.target));
    if (sit == services_.end() || oit == operations_.end()) {
      throw ApiError("UnknownOperationException",
                     "Unknown operation " + std::string(call.target) + ".");
    }
    const Service& service = sit->second;
    const Bound& bound = oit->second;
    info.service = service.name;
    info.operation = target->operation;
    out.operation = service.name + "." + target->operation;

    if (!AcceptedContentType(call.content_type)) {
      throw errors::Serialization("Unsupported Content-Type '" + std::string(call.content_type) +
                                  "'; send application/x-amz-json-1.1.");
    }
    auto credential = protocol::ParseSigV4Credential(call.authorization);
    if (credential) {
      info.region = credential->region;
      info.access_key = credential->access_key;
    } else {
      info.region = config_.region;
      if (!bound.model_op->unsigned_auth) {
        throw ApiError("MissingAuthenticationTokenException", "Missing Authentication Token");
      }
    }
    json input = protocol::ParseRequestBody(call.body);
    if (auto failure = protocol::ValidateInput(*bound.model_op, input)) {
      throw ApiError(failure->code, failure->message);
    }
    if (shared_.faults) {
      if (auto hit = shared_.faults->Match(service.name, target->operation, input)) {
        if (hit->delay_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(hit->delay_ms));
        if (hit->error) throw *hit->error;
      }
    }
    if (!bound.row) throw errors::NotImplemented(service.name, target->operation);
    Answer answer = Run(*bound.row, input, info);
    out.response = protocol::Success(answer.output, info.request_id);
    if (answer.raw) out.response.body = std::move(*answer.raw);
  } catch (const ApiError& e) {
    out.response = protocol::Error(e, info.request_id);
  } catch (const store::StoreError& e) {
    log::Error(std::string("store failure in ") + out.operation + ": " + e.what());
    out.response =
        protocol::Error(errors::Internal(std::string("Storage error: ") + e.what()), info.request_id);
  } catch (const std::exception& e) {
    log::Error(std::string("internal error in ") + out.operation + ": " + e.what());
    out.response = protocol::Error(errors::Internal("Internal error"), info.request_id);
  }
  if (shared_.history) {
    shared_.history->Record(RequestHistory::Entry{
        info.request_id, clock_.NowEpoch(), out.operation, out.response.status, out.response.error_code,
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count(),
        std::string(call.body), out.response.body});
  }
  return out;
}

}  // namespace cogemu::api
