// The team: workers that spin, then sleep, between tasks; the caller takes part
// as thread 0 and waits for the others by spinning.
#include "thread_team.hpp"

#ifdef _OPENMP
#include <omp.h>
#endif
#include <pthread.h>

#include <cstdlib>
#include <memory>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace mlp::backend::cpu {

namespace {

/// Tells the core that this is a spin loop (and lets a sibling thread run).
inline void relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
}

/// Pauses a waiting worker spins through before it sleeps: about half a
/// millisecond on x86 (a pause is ~20 ns on Zen 5), longer than the gaps
/// between the ops of a training step, short enough not to hold a core that
/// the program wants for something else.
constexpr int spins_before_sleep = 1 << 15;

thread_local bool in_team_work = false;

// Read as the library loads: honours OMP_NUM_THREADS as OpenMP programs do,
// and cannot see the count of 1 that gemm sets around its OpenBLAS calls.
const int default_size = [] {
#ifdef _OPENMP
    const int n = omp_get_max_threads();
#else  // a build without OpenMP (WebAssembly) reads the same variable
    const char* asked = std::getenv("OMP_NUM_THREADS");
    const int n = asked ? std::atoi(asked) : static_cast<int>(std::thread::hardware_concurrency());
#endif
    return n > 0 ? n : 1;
}();

std::unique_ptr<ThreadTeam>& team_slot() {
    static std::unique_ptr<ThreadTeam> slot = std::make_unique<ThreadTeam>(default_size);
    return slot;
}

// A forked child has only the thread that forked: the team's workers are
// gone. The child leaves the old team alone (its threads cannot be joined)
// and builds a new one when it first needs one.
bool forked = false;
void on_fork_child() { forked = true; }

}  // namespace

ThreadTeam::ThreadTeam(int size) : size_(size < 1 ? 1 : size) { start_workers(); }

ThreadTeam::~ThreadTeam() { stop_workers(); }

void ThreadTeam::start_workers() {
    static const int registered = pthread_atfork(nullptr, nullptr, on_fork_child);
    (void)registered;
    workers_.reserve(static_cast<std::size_t>(size_ - 1));
    for (int t = 1; t < size_; ++t) workers_.emplace_back([this, t] { work(t); });
}

void ThreadTeam::stop_workers() {
    {
        const std::lock_guard lock(busy_);
        stopping_ = true;
        generation_.fetch_add(1);
        generation_.notify_all();
    }
    for (auto& w : workers_) w.join();
    workers_.clear();
}

void ThreadTeam::run_task(const void* object, Call call) {
    std::unique_lock lock(busy_, std::defer_lock);
    if (size_ == 1 || in_team_work || !lock.try_lock()) {
        for (int thread = 0; thread < size_; ++thread) call(object, thread, size_);
        return;
    }
    task_object_ = object;
    task_call_ = call;
    pending_.store(size_ - 1, std::memory_order_relaxed);
    generation_.fetch_add(1);  // seq_cst: pairs with the sleepers' count
    if (sleepers_.load() > 0) generation_.notify_all();
    in_team_work = true;
    call(object, 0, size_);
    in_team_work = false;
    while (pending_.load(std::memory_order_acquire) != 0) relax();
}

void ThreadTeam::work(int thread) {
    // OpenBLAS (OpenMP build) takes its thread count from the calling thread's
    // OpenMP setting: products called from here stay on this thread.
#ifdef _OPENMP
    omp_set_num_threads(1);
#endif
    in_team_work = true;
    std::uint32_t seen = 0;
    for (;;) {
        std::uint32_t now = 0;
        for (int spins = 0; (now = generation_.load(std::memory_order_acquire)) == seen; ++spins) {
            if (spins < spins_before_sleep) {
                relax();
                continue;
            }
            sleepers_.fetch_add(1);  // seq_cst: run_task then sees it, or wait sees the new generation
            generation_.wait(seen);
            sleepers_.fetch_sub(1);
        }
        seen = now;
        if (stopping_) return;
        task_call_(task_object_, thread, size_);
        pending_.fetch_sub(1, std::memory_order_release);
    }
}

ThreadTeam& team() {
    auto& slot = team_slot();
    if (forked) {
        forked = false;
        const int size = slot->size();
        (void)slot.release();  // its workers do not exist in this process
        slot = std::make_unique<ThreadTeam>(size);
    }
    return *slot;
}

void set_team_size(int size) {
    auto& slot = team_slot();
    if (slot->size() != size) slot = std::make_unique<ThreadTeam>(size);
}

}  // namespace mlp::backend::cpu
