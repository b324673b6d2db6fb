// A training step's work on a GPU (zeroing the gradients, forward, loss,
// backward) recorded once per batch shape and replayed as one
// (backend::record: a CUDA graph), so that a step of small layers costs one
// launch instead of dozens. The optimizer's update stays outside: its
// learning rate and step count change every step.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "../backend/ops.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp {

/// What a recording depends on besides the model's own buffers: where the
/// batch is, how many rows it has, and the thread (whose scratch memory the
/// device's ops use).
struct StepShape {
    const void* x = nullptr;
    const void* y = nullptr;
    const void* weights = nullptr;
    std::int64_t rows = 0;
    std::thread::id thread;
    bool operator==(const StepShape&) const = default;
};

class StepRecorder {
public:
    explicit StepRecorder(const Device& device);

    /// What to do with a step. A step after one of another shape runs as it
    /// is (the layers size their buffers and views then); the next of the same
    /// shape is recorded, and the ones after replay that recording. Where the
    /// device could not record a shape, its steps run as they are.
    enum class Plan { run, record, replay };
    Plan plan(const StepShape& shape);
    /// Records the step plan() was last asked about: `gradients(total)` does
    /// its device work and writes the loss into `total`. False when the device
    /// cannot record it; nothing has run then, and the step runs as it is.
    bool record(const std::function<double(const TensorView& total)>& gradients);
    /// Replays the recording of the step plan() was last asked about, leaving
    /// its loss in total() for the caller to read once the work after it is
    /// queued, or later (fit copies it to the host behind the step, and reads
    /// it two steps on).
    void replay();
    /// Where a replayed step leaves its loss: one float64 on the device.
    const Tensor& total() const { return total_; }
    /// Says that a step ran without plan() (computing gradients only, or
    /// split over processes): the next one runs as it is.
    void forget_previous() { previous_ = {}; }

private:
    struct Entry {
        StepShape shape;
        std::unique_ptr<backend::Recording> recording;
        bool failed = false;  // the device could not record this step: it runs as it is
    };
    Device device_;
    Tensor total_;  // (1) float64 on the device: the recorded step's loss
    std::vector<Entry> entries_;
    StepShape previous_;       // the last step's
    std::size_t current_ = 0;  // its entry
    std::int64_t most_rows_ = 0;
};

}  // namespace mlp
