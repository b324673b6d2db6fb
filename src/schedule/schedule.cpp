// The schedules' formulas, each as the factor applied to the base rate.
#include "mlp/schedule/schedule.hpp"

#include <cmath>
#include <numbers>

#include "mlp/core/error.hpp"

namespace mlp {

namespace {
double cosine(double fraction, double alpha) {
    return (1 - alpha) * 0.5 * (1 + std::cos(std::numbers::pi * std::min(fraction, 1.0))) + alpha;
}
void require(bool ok, const std::string& message) {
    if (!ok) throw ConfigError(message);
}
}  // namespace

Schedule::Schedule(StepDecay s) : name_("step decay") {
    require(s.epochs >= 1, "StepDecay: epochs must be >= 1, got " + std::to_string(s.epochs));
    require(s.factor > 0, "StepDecay: factor must be > 0, got " + std::to_string(s.factor));
    rate_ = [s](double lr, const ScheduleClock& c) { return lr * std::pow(s.factor, c.epoch / s.epochs); };
}

Schedule::Schedule(ExponentialDecay s) : name_("exponential decay") {
    require(s.decay_steps >= 1, "ExponentialDecay: decay_steps must be >= 1, got " + std::to_string(s.decay_steps));
    require(s.decay_rate > 0, "ExponentialDecay: decay_rate must be > 0, got " + std::to_string(s.decay_rate));
    rate_ = [s](double lr, const ScheduleClock& c) {
        double p = static_cast<double>(c.step) / static_cast<double>(s.decay_steps);
        return lr * std::pow(s.decay_rate, s.staircase ? std::floor(p) : p);
    };
}

Schedule::Schedule(CosineDecay s) : name_("cosine decay") {
    require(s.decay_steps >= 0,
            "CosineDecay: decay_steps must be >= 0 (0 = the whole fit), got " + std::to_string(s.decay_steps));
    require(s.warmup_steps >= 0, "CosineDecay: warmup_steps must be >= 0, got " + std::to_string(s.warmup_steps));
    require(s.alpha >= 0 && s.alpha <= 1, "CosineDecay: alpha must be in [0, 1], got " + std::to_string(s.alpha));
    rate_ = [s](double lr, const ScheduleClock& c) {
        if (c.step < s.warmup_steps) return lr * static_cast<double>(c.step + 1) / static_cast<double>(s.warmup_steps);
        const std::int64_t span =
            s.decay_steps > 0 ? s.decay_steps : std::max<std::int64_t>(1, c.total_steps() - s.warmup_steps);
        return lr * cosine(static_cast<double>(c.step - s.warmup_steps) / static_cast<double>(span), s.alpha);
    };
}

Schedule::Schedule(CosineDecayRestarts s) : name_("cosine decay with restarts") {
    require(s.first_decay_steps >= 1,
            "CosineDecayRestarts: first_decay_steps must be >= 1, got " + std::to_string(s.first_decay_steps));
    require(s.t_mul >= 1, "CosineDecayRestarts: t_mul must be >= 1, got " + std::to_string(s.t_mul));
    require(s.m_mul > 0, "CosineDecayRestarts: m_mul must be > 0, got " + std::to_string(s.m_mul));
    rate_ = [s](double lr, const ScheduleClock& c) {
        double fraction = static_cast<double>(c.step) / static_cast<double>(s.first_decay_steps);
        double restart = 0;
        if (s.t_mul == 1.0) {
            restart = std::floor(fraction);
            fraction -= restart;
        } else {
            restart = std::floor(std::log(1 - fraction * (1 - s.t_mul)) / std::log(s.t_mul));
            const double done = (1 - std::pow(s.t_mul, restart)) / (1 - s.t_mul);
            fraction = (fraction - done) / std::pow(s.t_mul, restart);
        }
        const double decayed = 0.5 * std::pow(s.m_mul, restart) * (1 + std::cos(std::numbers::pi * fraction));
        return lr * ((1 - s.alpha) * decayed + s.alpha);
    };
}

Schedule::Schedule(LinearWarmup s) : name_("linear warm-up") {
    require(s.warmup_steps >= 1, "LinearWarmup: warmup_steps must be >= 1, got " + std::to_string(s.warmup_steps));
    require(s.start_factor >= 0 && s.start_factor <= 1,
            "LinearWarmup: start_factor must be in [0, 1], got " + std::to_string(s.start_factor));
    rate_ = [s](double lr, const ScheduleClock& c) {
        if (c.step >= s.warmup_steps) return lr;
        const double t = static_cast<double>(c.step) / static_cast<double>(s.warmup_steps);
        return lr * (s.start_factor + (1 - s.start_factor) * t);
    };
}

Schedule::Schedule(std::function<double(int, std::int64_t)> lr) : name_("user function") {
    require(static_cast<bool>(lr), "Schedule: the function is empty");
    rate_ = [f = std::move(lr)](double, const ScheduleClock& c) { return f(c.epoch, c.step); };
}

double Schedule::operator()(double base_lr, const ScheduleClock& clock) const {
    const double lr = rate_(base_lr, clock);
    if (!std::isfinite(lr) || lr < 0)
        throw ConfigError("learning-rate schedule (" + name_ + ") gave " + std::to_string(lr) + " at epoch " +
                          std::to_string(clock.epoch + 1) + ", step " + std::to_string(clock.step));
    return lr;
}

}  // namespace mlp
