// Learning-rate schedules: the learning rate at each optimizer step, as the
// optimizer's own rate scaled by a factor that follows the schedule.
//
//   model.fit(x, y, {.epochs = 20, .lr_schedule = mlp::CosineDecay{}});        // to 0 over the run
//   model.fit(x, y, {.lr_schedule = mlp::StepDecay{.epochs = 10, .factor = 0.5}});
//   model.fit(x, y, {.lr_schedule = mlp::Schedule([](int epoch, std::int64_t) { return epoch < 5 ? 1e-3 : 1e-4; })});
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace mlp {

/// Where training stands when the rate is asked for.
struct ScheduleClock {
    int epoch = 0;          ///< 0-based epoch of this fit
    std::int64_t step = 0;  ///< 0-based optimizer step of this fit
    std::int64_t steps_per_epoch = 1;
    int epochs = 1;  ///< epochs this fit runs
    std::int64_t total_steps() const { return steps_per_epoch * epochs; }
};

/// lr · factor^⌊epoch / epochs⌋ (PyTorch's StepLR).
struct StepDecay {
    int epochs = 10;
    double factor = 0.1;
};

/// lr · rate^(step / decay_steps), or rate^⌊step / decay_steps⌋ with staircase (Keras's).
struct ExponentialDecay {
    std::int64_t decay_steps = 1000;
    double decay_rate = 0.96;
    bool staircase = false;
};

/// Optional linear warm-up from 0 over warmup_steps, then cosine decay from lr
/// to alpha·lr over decay_steps (0: the rest of the fit), then alpha·lr (Keras's).
struct CosineDecay {
    std::int64_t decay_steps = 0;
    double alpha = 0.0;
    std::int64_t warmup_steps = 0;
};

/// Cosine decay with warm restarts, SGDR (Loshchilov & Hutter): periods of
/// first_decay_steps·t_mul^i steps, each starting from lr·m_mul^i (Keras's).
struct CosineDecayRestarts {
    std::int64_t first_decay_steps = 1000;
    double t_mul = 2.0;
    double m_mul = 1.0;
    double alpha = 0.0;
};

/// Linear warm-up from start_factor·lr to lr over warmup_steps, then lr.
struct LinearWarmup {
    std::int64_t warmup_steps = 1000;
    double start_factor = 0.0;
};

class Schedule {
public:
    Schedule(StepDecay s);            // NOLINT: implicit, so `.lr_schedule = StepDecay{...}` reads well
    Schedule(ExponentialDecay s);     // NOLINT
    Schedule(CosineDecay s);          // NOLINT
    Schedule(CosineDecayRestarts s);  // NOLINT
    Schedule(LinearWarmup s);         // NOLINT
    /// A function of (epoch, step), both 0-based, giving the learning rate itself.
    explicit Schedule(std::function<double(int epoch, std::int64_t step)> lr);

    /// The learning rate at `clock` for an optimizer whose own rate is `base_lr`.
    double operator()(double base_lr, const ScheduleClock& clock) const;
    /// "cosine decay (alpha 0)"
    const std::string& name() const { return name_; }

private:
    std::function<double(double, const ScheduleClock&)> rate_;
    std::string name_;
};

}  // namespace mlp
