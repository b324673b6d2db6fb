#include "step_recorder.hpp"

#include <algorithm>

namespace mlp {

namespace {
// A user who passes a new device tensor every step would otherwise make a
// recording per step; the oldest goes.
constexpr std::size_t most_recordings = 4;
}  // namespace

StepRecorder::StepRecorder(const Device& device) : device_(device), total_(Shape{1}, DType::f64, device) {}

StepRecorder::Plan StepRecorder::plan(const StepShape& shape) {
    // A batch larger than any before may grow the layers' buffers, leaving the
    // recordings of smaller ones pointing at freed memory.
    if (shape.rows > most_rows_) {
        entries_.clear();
        most_rows_ = shape.rows;
    }
    // A replay leaves the host's side of a step (the layers' views of their
    // buffers, the model's output) as the step before left it: right only when
    // that step had this shape.
    const bool repeated = previous_ == shape;
    previous_ = shape;
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.shape == shape; });
    if (it == entries_.end()) {
        if (entries_.size() == most_recordings) entries_.erase(entries_.begin());
        entries_.push_back({.shape = shape, .recording = nullptr, .failed = false});
        it = entries_.end() - 1;
    }
    current_ = static_cast<std::size_t>(it - entries_.begin());
    if (!repeated || it->failed) return Plan::run;
    return it->recording ? Plan::replay : Plan::record;
}

bool StepRecorder::record(const std::function<double(const TensorView& total)>& gradients) {
    Entry& entry = entries_[current_];
    entry.recording = backend::record(device_, [&] { gradients(total_.view()); });
    entry.failed = entry.recording == nullptr;
    return !entry.failed;
}

void StepRecorder::replay() { entries_[current_].recording->replay(); }

}  // namespace mlp
