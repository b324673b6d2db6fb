// The CPU backend's threads: one team, woken without a system call. An OpenMP
// (libgomp) region makes futex calls on every fork and join (3.5 µs here), and
// on virtual machines a system call can also cost the caller its TLB: the
// next 100k-element loop ran 2x slower after one. A training step of a small
// network runs ~20 parallel ops, so the team's workers wait for work by
// spinning, and sleep (a futex wait) only after about half a millisecond idle.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace mlp::backend::cpu {

class ThreadTeam {
public:
    explicit ThreadTeam(int size);
    ~ThreadTeam();
    ThreadTeam(const ThreadTeam&) = delete;
    ThreadTeam& operator=(const ThreadTeam&) = delete;

    int size() const { return size_; }

    /// Calls f(thread, size()) for every thread of the team, and returns when all
    /// are done: in parallel, the caller being thread 0; or one after another on
    /// the caller when called from inside the team's work or while another thread
    /// of the program has the team. Either way each f computes the same block,
    /// so results do not depend on who else uses the team. An exception out of
    /// f ends the program (std::terminate), as one out of an OpenMP region does.
    template <class F>
    void run(const F& f) {
        run_task(&f, [](const void* object, int thread, int threads) noexcept {
            (*static_cast<const F*>(object))(thread, threads);
        });
    }

private:
    using Call = void (*)(const void*, int, int) noexcept;
    void run_task(const void* object, Call call);
    void work(int thread);
    void start_workers();
    void stop_workers();

    int size_;
    std::vector<std::thread> workers_;
    std::mutex busy_;  // held by the thread that runs the team
    const void* task_object_ = nullptr;
    Call task_call_ = nullptr;
    bool stopping_ = false;
    alignas(64) std::atomic<std::uint32_t> generation_{0};  // one more per task
    alignas(64) std::atomic<int> pending_{0};               // workers still on the task
    alignas(64) std::atomic<int> sleepers_{0};              // workers in a futex wait
};

/// The team the backend's ops share, of set_num_threads' size.
ThreadTeam& team();
/// Replaces the team by one of `size` threads (set_num_threads).
void set_team_size(int size);

}  // namespace mlp::backend::cpu
