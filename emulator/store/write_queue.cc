#include "emulator/store/write_queue.h"

#include <vector>

namespace cogemu::store {

WriteQueue::WriteQueue(Env& env, size_t max_batch)
    : env_(env), max_batch_(max_batch), writer_([this] { Loop(); }) {}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

void WriteQueue::Run(const Work& work) {
  Task task{&work, {}, nullptr};
  std::future<void> done = task.done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) throw StoreError("store is shutting down");
    queue_.push_back(&task);
  }
  cv_.notify_one();
  done.get();  // rethrows a batch failure
  if (task.error) std::rethrow_exception(task.error);
}

void WriteQueue::Loop() {
  for (;;) {
    std::vector<Task*> batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    std::exception_ptr batch_error;
    try {
      Txn parent(env_, Txn::Mode::kWrite);
      for (Task* task : batch) {
        try {
          Txn child(env_, parent);
          if ((*task->work)(child)) child.Commit();
        } catch (...) {
          task->error = std::current_exception();
        }
      }
      parent.Commit();
    } catch (...) {
      batch_error = std::current_exception();
    }
    for (Task* task : batch) {
      if (batch_error) {
        task->done.set_exception(batch_error);
      } else {
        task->done.set_value();
      }
    }
  }
}

}  // namespace cogemu::store
