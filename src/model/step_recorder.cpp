#include "step_recorder.hpp"

#include <algorithm>

namespace mlp {

namespace {
// A user who passes a new device tensor every step would otherwise make a
// recording per step; the oldest goes.
constexpr std::size_t most_recordings = 4;
}  // namespace

StepRecorder::StepRecorder(const Device& device) : device_(device), total_(Shape{1}, DType::f64, device) {}

std::optional<double> StepRecorder::loss_of_step(const StepShape& shape,
                                                 const std::function<double(const TensorView& total)>& gradients) {
    // A batch larger than any before may grow the layers' buffers, leaving the
    // recordings of smaller ones pointing at freed memory.
    if (shape.rows > most_rows_) {
        entries_.clear();
        most_rows_ = shape.rows;
    }
    // A replay leaves the host's side of a step (the layers' views of their
    // buffers, the model's output) as the step before left it: right only when
    // that step had this shape. So a step after one of another shape runs as
    // it is, the next of its shape is recorded, and the ones after replay.
    const bool repeated = previous_ == shape;
    previous_ = shape;
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.shape == shape; });
    if (it == entries_.end()) {
        if (entries_.size() == most_recordings) entries_.erase(entries_.begin());
        entries_.push_back({.shape = shape, .recording = nullptr, .failed = false});
        it = entries_.end() - 1;
    }
    Entry& entry = *it;
    if (!repeated || entry.failed) return gradients({});
    if (!entry.recording) {
        entry.recording = backend::record(device_, [&] { gradients(total_.view()); });
        entry.failed = entry.recording == nullptr;
        if (entry.failed) return gradients({});
    }
    entry.recording->replay();
    return std::nullopt;
}

}  // namespace mlp
