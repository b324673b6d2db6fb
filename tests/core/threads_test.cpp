// The backend's thread team: its size, and results that depend on nothing but
// the thread count: not on a second program thread using mlp at the same
// time, not on a fork.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mlp/mlp.hpp>

#include <chrono>
#include <thread>

#include "../test_util.hpp"

namespace mlp {
namespace {

/// Restores the thread count a test changed.
class ThreadCountGuard {
public:
    ThreadCountGuard() : saved_(num_threads()) {}
    ~ThreadCountGuard() { set_num_threads(saved_); }
    ThreadCountGuard(const ThreadCountGuard&) = delete;
    ThreadCountGuard& operator=(const ThreadCountGuard&) = delete;

private:
    int saved_;
};

/// The predictions of a 784-128-64-10 network after two epochs: products large enough to be split
/// over the threads, Adam over 109,386 parameters, batches gathered in parallel.
Tensor predictions_after_training(const Tensor& x, const Tensor& y) {
    Sequential model(784, {Dense(128, "relu"), Dense(64, "relu"), Dense(10, "softmax")}, {.seed = 4});
    model.compile(Adam{}, "sparse_categorical_crossentropy");
    model.fit(x, y, {.epochs = 2, .batch_size = 128, .verbose = 0});
    return model.predict(x, 512);
}

TEST(Threads, SetNumThreadsSetsTheCountAndRejectsZero) {
    const ThreadCountGuard guard;
    set_num_threads(3);
    EXPECT_EQ(num_threads(), 3);
    set_num_threads(1);
    EXPECT_EQ(num_threads(), 1);
    EXPECT_THROW(set_num_threads(0), ConfigError);
    EXPECT_THROW(set_num_threads(100000), ConfigError);  // a typo, not a setting
    EXPECT_EQ(num_threads(), 1);
}

TEST(Threads, TrainingIsRepeatableAtAThreadCountAndCloseAcrossCounts) {
    const ThreadCountGuard guard;
    const Tensor x = test::random_tensor(1024, 784, 1, 0, 1, DType::f32);
    const Tensor y = test::class_ids(1024, 10);
    set_num_threads(1);
    const Tensor one = predictions_after_training(x, y);
    set_num_threads(3);
    const Tensor three = predictions_after_training(x, y), again = predictions_after_training(x, y);
    EXPECT_TRUE(test::bit_identical(three, again));
    // Splitting a product by rows or columns never splits its sums, but
    // OpenBLAS may pick another kernel for a smaller block: close, not equal.
    EXPECT_LT(test::relative_error(three, one), 1e-4);
}

TEST(Threads, TwoProgramThreadsTrainingAtOnceGetTheResultsOfOne) {
    const ThreadCountGuard guard;
    set_num_threads(2);
    const Tensor x = test::random_tensor(1024, 784, 2, 0, 1, DType::f32);
    const Tensor y = test::class_ids(1024, 10);
    const Tensor alone = predictions_after_training(x, y);
    // One thread has the team, the other runs the same blocks one after
    // another: the results must not tell which was which.
    Tensor first, second;
    std::thread a([&] { first = predictions_after_training(x, y); });
    std::thread b([&] { second = predictions_after_training(x, y); });
    a.join();
    b.join();
    EXPECT_TRUE(test::bit_identical(first, alone));
    EXPECT_TRUE(test::bit_identical(second, alone));
}

TEST(Threads, AForkedChildTrainsWithANewTeam) {
    const ThreadCountGuard guard;
    set_num_threads(2);
    const Tensor x = test::random_tensor(512, 784, 3, 0, 1, DType::f32);
    const Tensor y = test::class_ids(512, 10);
    const Tensor parent = predictions_after_training(x, y);  // the team's workers are running
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The workers did not follow into this process; waiting for them would hang.
        const bool same = test::bit_identical(predictions_after_training(x, y), parent);
        _exit(same ? 0 : 1);
    }
    // A child waiting for the parent's workers would hang: give it a minute.
    int status = 0;
    pid_t done = 0;
    for (int waited_ms = 0; (done = waitpid(child, &status, WNOHANG)) == 0 && waited_ms < 60'000; waited_ms += 10)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (done == 0) {
        kill(child, SIGKILL);
        waitpid(child, &status, 0);
        FAIL() << "the forked child did not finish training within a minute";
    }
    ASSERT_EQ(done, child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace mlp
