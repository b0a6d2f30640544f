// Group commit for write requests. Durable LMDB commits cost an fsync each, which would cap
// write throughput at a few hundred requests per second. Requests hand their work to one writer
// thread, which runs every request waiting at that moment in its own nested transaction inside
// one batch transaction and commits the batch once: each request stays atomic (its nested
// transaction commits or aborts alone) and nobody is answered before the batch is on disk.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "emulator/store/store.h"

namespace cogemu::store {

class WriteQueue {
 public:
  // `work` runs on the writer thread in a nested transaction and returns true to keep its
  // writes; if it throws, its writes are discarded and Run rethrows on the caller's thread.
  using Work = std::function<bool(Txn& txn)>;

  explicit WriteQueue(Env& env, size_t max_batch = 256);
  ~WriteQueue();  // finishes queued work, then stops the writer
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Runs `work` and returns once its batch is durably committed (or rethrows what `work`
  // threw, after the batch commits). A failing batch commit throws StoreError.
  void Run(const Work& work);

 private:
  struct Task {
    const Work* work;
    std::promise<void> done;
    std::exception_ptr error;
  };
  void Loop();

  Env& env_;
  size_t max_batch_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task*> queue_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace cogemu::store
