// A thread that runs jobs one after another, in the order they were posted,
// while the poster goes on: the Communicator's started sums, which MPI moves
// forward only inside a call, so a call must be under way while fit() goes
// back through the layers.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace mlp::distributed {

class JobThread {
public:
    JobThread() = default;
    JobThread(const JobThread&) = delete;
    JobThread& operator=(const JobThread&) = delete;
    /// Runs what was posted, then ends the thread.
    ~JobThread();

    /// Queues `job`; the thread starts with the first.
    void post(std::function<void()> job);
    /// Returns once every posted job has run. A job that threw skips the ones
    /// after it, and its exception is thrown here.
    void wait();

private:
    void run();

    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<std::function<void()>> jobs_;
    bool running_job_ = false;
    bool stopping_ = false;
    std::exception_ptr failure_;
    std::thread thread_;
};

}  // namespace mlp::distributed
