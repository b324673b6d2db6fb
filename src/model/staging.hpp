// Data on its way between the host and the model's device: what fit, predict
// and train_on_batch take from the user wherever it is, and give back.
#pragma once

#include "../backend/ops.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp {

/// t itself when it is on `device` (or empty), else a copy there kept in
/// `staged`, which only grows: a loop over batches allocates once.
inline TensorView staged_on(const Device& device, const TensorView& t, Tensor& staged) {
    if (t.device() == device || t.empty()) return t;
    if (staged.device() != device || staged.dtype() != t.dtype()) staged = Tensor(Shape{0}, t.dtype(), device);
    staged.resize(t.shape());
    backend::copy(t, staged);
    return staged.view();
}

}  // namespace mlp
