// See job_thread.hpp.
#include "job_thread.hpp"

#include <utility>

namespace mlp::distributed {

JobThread::~JobThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void JobThread::post(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
        if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    }
    changed_.notify_all();
}

void JobThread::wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return jobs_.empty() && !running_job_; });
    if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void JobThread::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        changed_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping, with nothing left to run
        std::function<void()> job = std::move(jobs_.front());
        jobs_.pop_front();
        if (failure_) {  // the sums after a failed one would only add to the confusion
            changed_.notify_all();
            continue;
        }
        running_job_ = true;
        lock.unlock();
        try {
            job();
        } catch (...) {
            lock.lock();
            failure_ = std::current_exception();
            lock.unlock();
        }
        lock.lock();
        running_job_ = false;
        changed_.notify_all();
    }
}

}  // namespace mlp::distributed
