// The training loop: per mini-batch forward -> loss -> backward -> clipping ->
// optimizer step -> constraints -> metrics; per epoch validation, History and
// callbacks. Once the first batch has run, a step allocates nothing: layers
// reuse their caches, batches are gathered into buffers sized once.
#include <cmath>
#include <cstdio>
#include <numeric>
#include <optional>
#include <thread>

#include <algorithm>
#include <array>

#include "../backend/ops.hpp"
#include "../callbacks/builtin.hpp"
#include "../core/number_text.hpp"
#include "../optim/clipping.hpp"
#include "data_parallel.hpp"
#include "interrupt.hpp"
#include "mlp/callbacks/callbacks.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "staging.hpp"
#include "step_recorder.hpp"

namespace mlp {

const TensorView& Sequential::forward(const TensorView& x) {
    TensorView h = x;
    for (auto& layer : layers_) h = layer->forward(h, true);
    output_ = h;
    return output_;
}

double Sequential::backward(const TensorView& y, const TensorView& weights, double scale, GradientSums* sums,
                            const TensorView& total) {
    Layer& last = *layers_.back();
    const TensorView dout = TensorView(loss_grad_.view().raw(), output_.shape(), output_.dtype(), device_);
    TensorView d;
    double loss = 0.0;
    if (fused_) {
        loss = train_loss_->compute(last.logits(), y, dout, weights, total);
        if (scale != 1.0) backend::scale(dout, scale);
        d = last.backward_from_logits(dout);
    } else {
        loss = train_loss_->compute(output_, y, dout, weights, total);
        if (scale != 1.0) backend::scale(dout, scale);
        d = last.backward(dout);
    }
    if (sums) sums->layer_done(last.parameter_count());
    for (auto it = layers_.rbegin() + 1; it != layers_.rend(); ++it) {
        d = (*it)->backward(d);
        if (sums) sums->layer_done((*it)->parameter_count());
    }
    input_gradient_ = d;
    return loss;
}

double Sequential::regularization(bool add_gradient) const {
    double penalty = 0;
    for (const auto& layer : layers_) penalty += layer->regularization(add_gradient);
    return penalty;
}

double Sequential::batch_gradients(const TensorView& x, const TensorView& y, const TensorView& weights, double scale,
                                   GradientSums* sums, const TensorView& total) {
    // Gradients start from zero: Dense writes its own (beta = 0), the rest are zeroed here.
    for (const TensorView& g : zeroed_grads_) backend::fill(g, 0.0);
    forward(x);
    if (loss_grad_.capacity() < output_.numel() || loss_grad_.dtype() != output_.dtype() ||
        loss_grad_.device() != device_)
        loss_grad_ = Tensor(output_.shape(), output_.dtype(), device_);
    return backward(y, weights, scale, sums, total) * scale;
}

bool Sequential::step_recordable(bool update, const distributed::Communicator* comm) const {
    return update && comm == nullptr && !device_.is_cpu() &&
           std::all_of(layers_.begin(), layers_.end(), [](const auto& layer) { return layer->recordable(); });
}

double Sequential::StepLoss::value() const {
    double on_device = 0.0;
    if (there != nullptr) backend::copy(*there, TensorView(&on_device, Shape{1}, DType::f64));  // waits for the step
    return here + on_device;
}

Sequential::StepLoss Sequential::step(const TensorView& x, const TensorView& y, bool update, const TensorView& weights,
                                      distributed::Communicator* comm, std::int64_t batch_rows, double bucket_mb) {
    // Split over processes, each process's loss is the mean over its rows; as its
    // part of the whole batch's mean, the gradients add up over the processes.
    const double part = comm ? static_cast<double>(x.rows()) / static_cast<double>(batch_rows) : 1.0;
    std::optional<GradientSums> sums;
    if (comm != nullptr) sums.emplace(*comm, grads_, bucket_mb);
    double loss = 0.0;
    bool loss_on_device = false;  // a replayed step's: read by the caller, once the update is queued too
    if (x.rows() > 0 && step_recordable(update, comm)) {
        if (!recorder_) recorder_ = std::make_unique<StepRecorder>(device_);
        using Plan = StepRecorder::Plan;
        const Plan plan = recorder_->plan({x.raw(), y.raw(), weights.raw(), x.rows(), std::this_thread::get_id()});
        const auto gradients = [&](const TensorView& total) {
            return batch_gradients(x, y, weights, 1.0, nullptr, total);
        };
        if (plan == Plan::run || (plan == Plan::record && !recorder_->record(gradients))) {
            loss = gradients({});
        } else {
            recorder_->replay();
            loss_on_device = true;
            if (plan == Plan::replay)  // the layers' host code did not run for this step
                for (auto& layer : layers_) layer->replayed();
        }
    } else if (x.rows() > 0) {
        if (recorder_) recorder_->forget_previous();
        loss = batch_gradients(x, y, weights, part, sums ? &*sums : nullptr, {});
    } else {  // a process with no rows of a short last batch: its gradient is zero, its sums the others'
        zero_grad();
        for (auto& layer : layers_) layer->skip_forward();
        for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
            (*it)->skip_backward();
            if (sums) sums->layer_done((*it)->parameter_count());
        }
    }
    double penalty_part = 1.0;
    if (sums) {
        sums->finish();
        penalty_part = 1.0 / comm->size();  // every process adds the same penalty and its gradient
    }
    loss += regularization(true) * penalty_part;
    if (update) {
        if (optimizer_->clipping().any()) clip_gradients(optimizer_->clipping(), grad_views_, grads_);
        optimizer_->step(params_, grads_);
        for (auto& layer : layers_) layer->apply_constraints();
    }
    return {.here = loss, .there = loss_on_device ? &recorder_->total() : nullptr};
}

double Sequential::train_on_batch(const TensorView& x, const TensorView& y) {
    require_compiled("train_on_batch");
    if (!built_) build(x.cols());
    const TensorView targets = checked_targets("train_on_batch", x, y);
    Tensor xc, yc;
    return step(staged_on(device_, in_model_dtype(x, xc), staged_x_),
                staged_on(device_, in_model_dtype(targets, yc), staged_y_), true)
        .value();
}

double Sequential::compute_gradients(const TensorView& x, const TensorView& y, bool input_gradient) {
    require_compiled("compute_gradients");
    if (!built_) build(x.cols());
    Tensor x_converted, y_converted;
    const TensorView xc = staged_on(device_, in_model_dtype(x, x_converted), staged_x_);
    const TensorView yc =
        staged_on(device_, in_model_dtype(checked_targets("compute_gradients", x, y), y_converted), staged_y_);
    layers_.front()->set_input_grad_needed(input_gradient);
    double loss = 0;
    try {
        loss = step(xc, yc, false).value();
    } catch (...) {
        layers_.front()->set_input_grad_needed(false);
        throw;
    }
    layers_.front()->set_input_grad_needed(false);
    if (!input_gradient) input_gradient_ = {};
    return loss;
}

namespace {

/// The class of target row r, for class weights.
std::int64_t class_of(const Loss& loss, const TensorView& y, std::int64_t r) {
    if (loss.kind() == Loss::Kind::sparse_categorical_crossentropy) return static_cast<std::int64_t>(y.item(r));
    const std::int64_t cols = y.cols();
    if (cols == 1) return y.item(r) > 0.5 ? 1 : 0;
    std::int64_t best = 0;
    for (std::int64_t j = 1; j < cols; ++j)
        if (y.item(r * cols + j) > y.item(r * cols + best)) best = j;
    return best;
}

/// Each training row's loss weight: sample_weight × class_weight[class].
Tensor loss_weights(const FitOptions& options, const Loss& loss, const TensorView& y, std::int64_t n_train,
                    std::int64_t n_all, DType dtype) {
    Tensor w(Shape{n_train}, DType::f64);
    backend::fill(w, 1.0);
    if (!options.sample_weight.empty()) {
        if (options.sample_weight.numel() != n_all)
            throw ShapeError("fit: sample_weight has " + std::to_string(options.sample_weight.numel()) +
                             " values for " + std::to_string(n_all) + " samples");
        for (std::int64_t i = 0; i < n_train; ++i) w.data<double>()[i] = options.sample_weight.item(i);
    }
    if (!options.class_weight.empty()) {
        if (!loss.is_crossentropy())
            throw ConfigError("fit: class_weight needs a classification loss, got " + loss.name());
        for (std::int64_t i = 0; i < n_train; ++i) {
            const auto it = options.class_weight.find(static_cast<int>(class_of(loss, y, i)));
            if (it != options.class_weight.end()) w.data<double>()[i] *= it->second;
        }
    }
    for (std::int64_t i = 0; i < n_train; ++i)
        if (!(w.data<double>()[i] >= 0) || !std::isfinite(w.data<double>()[i]))
            throw DataError("fit: the loss weight of sample " + std::to_string(i) + " is " +
                            std::to_string(w.data<double>()[i]) + "; weights must be finite and >= 0");
    return w.to(dtype);
}

}  // namespace

History Sequential::fit(const TensorView& x_given, const TensorView& y_given, const FitOptions& options) {
    require_compiled("fit");
    if (!device_.is_cpu() && options.communicator && options.communicator->size() > 1)
        throw ConfigError("fit: data-parallel training over processes runs on the CPU; this model is on " +
                          device_.str() + " (model.to(Device::cpu()) first)");
    // fit reads its data on the host (checks, weights, shuffling); a model on a GPU gets a copy there below.
    Tensor x_host, y_host;
    const TensorView x_in = staged_on(Device::cpu(), x_given, x_host), y_in = staged_on(Device::cpu(), y_given, y_host);
    if (options.epochs < 0) throw ConfigError("fit: epochs must be >= 0, got " + std::to_string(options.epochs));
    if (options.batch_size < 1)
        throw ConfigError("fit: batch_size must be >= 1, got " + std::to_string(options.batch_size));
    if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
        throw ConfigError("fit: validation_split must be in [0, 1), got " + std::to_string(options.validation_split));
    if (options.validation_split > 0 && options.validation_data)
        throw ConfigError("fit: give validation_split or validation_data, not both");
    if (options.verbose < 0 || options.verbose > 2)
        throw ConfigError("fit: verbose must be 0, 1 or 2, got " + std::to_string(options.verbose));
    if (!(options.bucket_mb > 0.0 && std::isfinite(options.bucket_mb)))
        throw ConfigError("fit: bucket_mb must be a positive number of MB, got " + number_text(options.bucket_mb));
    if (!built_) build(x_in.cols());
    Tensor x_converted, y_converted;
    const TensorView x = in_model_dtype(x_in, x_converted);
    const TensorView y = in_model_dtype(checked_targets("fit", x_in, y_in), y_converted);

    const std::int64_t n = x.rows();
    const auto n_val = static_cast<std::int64_t>(static_cast<double>(n) * options.validation_split);
    const std::int64_t n_train = n - n_val;
    if (n_train <= 0) throw DataError("fit: no training samples left (" + std::to_string(n) + " given)");
    const TensorView x_train = x.rows(0, n_train), y_train = y.rows(0, n_train);
    TensorView x_val, y_val;
    Tensor xv_converted, yv_converted;
    if (n_val > 0) {
        x_val = x.rows(n_train, n_val);
        y_val = y.rows(n_train, n_val);
    } else if (options.validation_data) {
        const auto& [xv, yv] = *options.validation_data;
        x_val = in_model_dtype(xv, xv_converted);
        y_val = in_model_dtype(checked_targets("fit (validation_data)", xv, yv), yv_converted);
    }
    const bool weighted = !options.sample_weight.empty() || !options.class_weight.empty();
    const Tensor w_train = weighted ? loss_weights(options, *loss_, y_train, n_train, n, options_.dtype) : Tensor();

    const std::int64_t batch = std::min(options.batch_size, n_train);
    const std::int64_t batches = (n_train + batch - 1) / batch;
    // Several processes: each a share of every batch, the same steps (data_parallel.hpp).
    distributed::Communicator* comm =
        options.communicator && options.communicator->size() > 1 ? options.communicator.get() : nullptr;
    const int rank = comm ? comm->rank() : 0, ranks = comm ? comm->size() : 1;
    // The layers forget the split when fit returns or throws: alone again, they sum over nobody.
    struct ForgetShards {
        std::vector<std::unique_ptr<Layer>>& layers;
        bool split;
        ~ForgetShards() {
            if (split)
                for (auto& layer : layers) layer->set_batch_shard({});
        }
    } forget_shards{layers_, comm != nullptr};
    if (comm) {
        const std::uint64_t seed = options.seed.value_or(options_.seed);
        const auto [x_sum, x_squares] = fingerprint(x_train);
        const auto [y_sum, y_squares] = fingerprint(y_train);
        const auto config = std::hash<std::string>{}(to_json());
        check_same_setup(
            *comm, {{"the architecture and compile settings (a hash of the config)", static_cast<double>(config >> 11)},
                    {"the number of training rows", static_cast<double>(n_train)},
                    {"the number of validation rows", static_cast<double>(x_val.rows())},
                    {"the training inputs (a sum of their values)", x_sum},
                    {"the training inputs (a sum of their squares)", x_squares},
                    {"the training targets (a sum of their values)", y_sum + y_squares},
                    {"batch_size", static_cast<double>(batch)},
                    {"epochs", static_cast<double>(options.epochs)},
                    {"shuffle", options.shuffle ? 1.0 : 0.0},
                    {"the shuffling seed", static_cast<double>(seed >> 11)},
                    {"sample or class weights", weighted ? 1.0 : 0.0},
                    {"resume", options.resume ? 1.0 : 0.0},
                    {"the epoch training resumes from", static_cast<double>(progress_.epoch)},
                    {"the batch training resumes from", static_cast<double>(progress_.batch)},
                    {"bucket_mb", options.bucket_mb}});
        broadcast_weights(*comm, *this);
    }
    std::vector<std::int64_t> order(static_cast<std::size_t>(n_train));
    // Resuming a model that has not trained yet is a fresh start.
    if (!options.resume || (progress_.epoch == 0 && progress_.batch == 0))
        progress_ = {.shuffle = Random(options.seed.value_or(options_.seed) ^ 0x5eedf17ULL)};
    Random rng = progress_.shuffle;
    // On a GPU, the training set is copied there once and each batch gathered
    // there; when it does not fit, each batch is gathered on the host and sent.
    Tensor x_there, y_there, w_there;
    TensorView x_source = x_train, y_source = y_train, w_source = weighted ? w_train.view() : TensorView();
    bool streamed = false;
    try {
        x_source = staged_on(device_, x_train, x_there);
        y_source = staged_on(device_, y_train, y_there);
        if (weighted) w_source = staged_on(device_, w_train, w_there);
    } catch (const DeviceMemoryError&) {
        x_there = y_there = w_there = Tensor();
        x_source = x_train;
        y_source = y_train;
        w_source = weighted ? w_train.view() : TensorView();
        streamed = true;
    }
    Tensor xb(Shape{batch, x.cols()}, options_.dtype, device_);
    Tensor yb(y.shape().with_rows(batch), options_.dtype, device_);
    Tensor wb(Shape{weighted ? batch : 0}, options_.dtype, device_);
    Tensor gathered;  // a streamed batch's rows on the host, on their way over
    const auto gather = [&](const TensorView& source, std::span<const std::int64_t> rows,
                            const TensorView& batch_view) {
        if (!streamed) return backend::gather_rows(source, rows, batch_view);
        if (gathered.dtype() != batch_view.dtype()) gathered = Tensor(Shape{0}, batch_view.dtype());
        gathered.resize(batch_view.shape());
        backend::gather_rows(source, rows, gathered);
        backend::copy(gathered, batch_view);
    };
    Tensor output_host, target_host;  // a GPU's batch outputs and targets, for the metrics
    std::vector<std::unique_ptr<Metric>> metrics;
    for (const auto& name : metric_names_) metrics.push_back(Metric::make(name, *loss_));

    // What History will record; callbacks check their monitors against it now.
    FitPlan plan{.keys = {"loss"}, .scheduled = options.lr_schedule.has_value()};
    for (const auto& name : metric_names_) plan.keys.push_back(name);
    if (!x_val.empty()) {
        plan.keys.push_back("val_loss");
        for (const auto& name : metric_names_) plan.keys.push_back("val_" + name);
    }
    plan.keys.push_back("learning_rate");
    std::vector<Callback> callbacks;
    const bool own_bar = std::any_of(options.callbacks.begin(), options.callbacks.end(), [](const Callback& c) {
        return dynamic_cast<const ProgressBarCallback*>(&c.get()) != nullptr;
    });
    if (options.verbose > 0 && !own_bar && rank == 0) {
        ProgressBar bar = options.progress.value_or(ProgressBar{});
        bar.verbose = options.verbose;
        callbacks.emplace_back(bar);
    }
    for (const Callback& c : options.callbacks)  // one process shows the progress of all
        if (rank == 0 || dynamic_cast<const ProgressBarCallback*>(&c.get()) == nullptr) callbacks.push_back(c);
    for (const auto& c : callbacks) c.get().check(plan);

    History history = progress_.history;
    Scores logs;
    TrainingState state{.model = *this,
                        .history = history,
                        .epochs = options.epochs,
                        .batches = batches,
                        .logs = logs,
                        .rank = rank,
                        .ranks = ranks};
    state.step = progress_.step;
    const int first_epoch = progress_.epoch + 1;
    const std::int64_t first_batch = progress_.batch;
    const double base_lr = optimizer_->learning_rate();
    const InterruptGuard interrupt;
    progress_.interrupted = false;
    auto checkpoint = [&] {
        if (options.checkpoint.empty() || rank != 0) return;
        const double lr = optimizer_->learning_rate();
        if (options.lr_schedule) optimizer_->set_learning_rate(base_lr);  // the schedule scales it again on resume
        save(options.checkpoint);
        optimizer_->set_learning_rate(lr);
    };
    auto each = [&](void (CallbackBase::*hook)(TrainingState&)) {
        for (const auto& c : callbacks) (c.get().*hook)(state);
    };
    // The user's callbacks that keep state, by position: their states go into
    // checkpoints and come back when this fit resumes one.
    std::vector<std::pair<std::string, CallbackBase*>> stateful;
    for (std::size_t i = 0; i < options.callbacks.size(); ++i)
        if (const std::string name = options.callbacks[i].get().state_name(); !name.empty())
            stateful.emplace_back(std::to_string(i) + "." + name, &options.callbacks[i].get());
    auto keep_callback_states = [&] {
        for (const auto& [key, callback] : stateful) progress_.callbacks[key] = callback->state();
    };
    // On a GPU, each step's loss, and the outputs the metrics read, come back
    // to the host `steps_ahead` steps late (backend::Readback): the host
    // queues the next steps while the GPU works instead of waiting for each.
    // Every step is read as it ends where a callback must see each batch at
    // once, and over several processes, which sum each loss then.
    const bool lagging =
        !device_.is_cpu() && comm == nullptr &&
        std::all_of(callbacks.begin(), callbacks.end(), [](const Callback& c) { return c.get().batch_end_can_lag(); });
    constexpr std::size_t steps_ahead = 2;
    struct InFlight {
        std::int64_t batch = 0;  // counted from 0
        std::int64_t rows = 0;   // the whole batch's
        StepLoss loss;
        std::int64_t step = 0;                  // state.step once it was taken
        bool metered = false;                   // the metrics read its outputs (this process has rows of it)
        TensorView targets;                     // where the model is
        backend::Readback* readback = nullptr;  // lagging: where its figures come back
    };
    std::vector<InFlight> in_flight(steps_ahead + 1);  // a ring: `pending` steps from `oldest` on
    std::size_t oldest = 0, pending = 0;
    std::vector<std::unique_ptr<backend::Readback>> readbacks;  // one per place in the ring
    if (lagging)
        for (std::size_t i = 0; i < in_flight.size(); ++i) readbacks.push_back(backend::readback(device_));
    each(&CallbackBase::on_train_begin);
    if (options.resume)
        for (const auto& [key, callback] : stateful)
            if (const auto saved = progress_.callbacks.find(key); saved != progress_.callbacks.end())
                callback->restore(saved->second);
    // An error on one process (a callback, a NaN) must end them all: the others
    // would wait for it in the next sum forever.
    try {
        for (int epoch = first_epoch; epoch <= options.epochs && !state.stop_training; ++epoch) {
            state.epoch = epoch;
            state.batch = 0;
            logs.clear();
            logs.add("loss", 0.0);
            for (auto& m : metrics)
                if (m->streaming()) logs.add(m->name(), 0.0);
            each(&CallbackBase::on_epoch_begin);
            if (state.stop_training) break;
            // Each epoch's order follows from the generator as the epoch starts, so
            // a checkpoint that keeps the generator resumes the same order.
            const Random epoch_start = rng;
            std::iota(order.begin(), order.end(), 0);
            if (options.shuffle)
                for (std::int64_t i = n_train - 1; i > 0; --i)
                    std::swap(order[static_cast<std::size_t>(i)], order[rng.below(static_cast<std::uint64_t>(i + 1))]);
            for (auto& m : metrics) m->reset();
            double loss_sum = 0.0;
            std::int64_t seen = 0;
            if (epoch == first_epoch && first_batch > 0 && !progress_.epoch_logs.empty()) {
                // The epoch resumes where a checkpoint stopped it: its figures go on from there.
                const auto& saved = progress_.epoch_logs;
                if (const auto loss = saved.find("loss"); loss != saved.end() && loss->second.size() == 2) {
                    loss_sum = loss->second[0];
                    seen = static_cast<std::int64_t>(loss->second[1]);
                }
                // The saved metric states are over all processes' rows: one process takes them on.
                for (auto& m : metrics)
                    if (const auto state = saved.find(m->name()); state != saved.end() && rank == 0)
                        m->restore(state->second);
            }
            bool interrupted = false;
            // A step's figures once they are on the host: into the epoch's
            // running loss and metrics, then to the callbacks as of that batch.
            const auto finish = [&](const InFlight& done) {
                double loss = done.loss.here;
                TensorView output_seen, target_seen;
                if (done.readback != nullptr) {
                    const std::span<const TensorView> back = done.readback->arrived();
                    std::size_t i = 0;
                    if (done.loss.there != nullptr) loss += back[i++].item(0);
                    if (done.metered) {
                        output_seen = back[i];
                        target_seen = back[i + 1];
                    }
                } else {
                    loss = done.loss.value();
                    if (comm) comm->allreduce_sum(TensorView(&loss, Shape{1}, DType::f64));  // the whole batch's
                    if (done.metered) {
                        output_seen = staged_on(Device::cpu(), output_, output_host);
                        target_seen = staged_on(Device::cpu(), done.targets, target_host);
                    }
                }
                const std::int64_t issued_batch = state.batch, issued_step = state.step;
                state.batch = done.batch + 1;
                state.step = done.step;
                loss_sum += loss * static_cast<double>(done.rows);
                seen += done.rows;
                std::size_t slot = 0;
                logs.set(slot++, loss_sum / static_cast<double>(seen));
                for (auto& m : metrics) {  // mid-epoch, with several processes: this one's rows
                    if (done.metered) m->update(output_seen, target_seen);
                    if (m->streaming()) logs.set(slot++, m->result());
                }
                each(&CallbackBase::on_batch_end);
                if (!std::isfinite(loss) && !state.stop_training)
                    throw NumericError("fit: the loss became " + number_text(loss) + " at epoch " +
                                       std::to_string(epoch) + ", batch " + std::to_string(done.batch + 1) + " of " +
                                       std::to_string(batches) + "; lower the learning rate (now " +
                                       number_text(optimizer_->learning_rate()) +
                                       ") or scale the inputs (TerminateOnNaN ends training here instead)");
                state.batch = issued_batch;
                state.step = issued_step;
            };
            const auto finish_oldest = [&] {
                const InFlight& done = in_flight[oldest];
                oldest = (oldest + 1) % in_flight.size();
                --pending;
                finish(done);
            };
            for (std::int64_t b = epoch == first_epoch ? first_batch : 0; b < batches && !state.stop_training; ++b) {
                state.batch = b + 1;
                each(&CallbackBase::on_batch_begin);
                if (options.lr_schedule)
                    optimizer_->set_learning_rate((*options.lr_schedule)(base_lr, {.epoch = epoch - 1,
                                                                                   .step = state.step,
                                                                                   .steps_per_epoch = batches,
                                                                                   .epochs = options.epochs}));
                const std::int64_t first = b * batch;
                const std::int64_t rows = std::min(batch, n_train - first);
                const BatchShard mine = shard_of(rows, comm);
                const std::span<const std::int64_t> idx(order.data() + first + mine.offset,
                                                        static_cast<std::size_t>(mine.rows));
                const TensorView xv = xb.rows(0, mine.rows), yv = yb.rows(0, mine.rows);
                gather(x_source, idx, xv);
                gather(y_source, idx, yv);
                TensorView wv;
                if (weighted) {
                    wv = wb.rows(0, mine.rows);
                    gather(w_source.reshaped(Shape{n_train, 1}), idx, wv.reshaped(Shape{mine.rows, 1}));
                }
                if (comm)
                    for (auto& layer : layers_) layer->set_batch_shard(mine);
                const StepLoss loss = step(xv, yv, true, wv, comm, rows, options.bucket_mb);
                ++state.step;
                const std::size_t at = (oldest + pending) % in_flight.size();
                InFlight& issued = in_flight[at];
                issued = {.batch = b,
                          .rows = rows,
                          .loss = loss,
                          .step = state.step,
                          .metered = !metrics.empty() && mine.rows > 0,
                          .targets = yv,
                          .readback = lagging ? readbacks[at].get() : nullptr};
                ++pending;
                if (lagging) {  // queued after the step: the copies come before the next step overwrites
                    std::array<TensorView, 3> sent;
                    std::size_t count = 0;
                    if (issued.loss.there != nullptr) sent[count++] = *issued.loss.there;
                    if (issued.metered) {
                        sent[count++] = output_;
                        sent[count++] = yv;
                    }
                    issued.readback->send(std::span<const TensorView>(sent.data(), count));
                }
                while (pending > (lagging ? steps_ahead : 0)) finish_oldest();
                bool stop_now = interrupt.requested() || (options.stop_requested && options.stop_requested());
                if (comm) {  // whether any process was asked to stop, or a callback on any stopped training
                    double asked[2] = {stop_now ? 1.0 : 0.0, state.stop_training ? 1.0 : 0.0};
                    comm->allreduce_sum(TensorView(asked, Shape{2}, DType::f64));
                    stop_now = asked[0] > 0;
                    state.stop_training = asked[1] > 0;
                }
                if (stop_now && !interrupted) {
                    while (pending > 0) finish_oldest();  // the steps taken count in the epoch's figures
                    if (comm) {
                        pool_metrics(*comm, metrics);
                        broadcast_buffers(*comm, *this);
                    }
                    // The epoch is not finished: History does not get it, the checkpoint
                    // records where in it training stopped.
                    interrupted = state.stop_training = true;
                    progress_ = {.epoch = epoch - 1,
                                 .batch = b + 1,
                                 .step = state.step,
                                 .shuffle = epoch_start,
                                 .history = history,
                                 .interrupted = true};
                    keep_callback_states();
                    progress_.epoch_logs["loss"] = {loss_sum, static_cast<double>(seen)};
                    for (const auto& m : metrics) progress_.epoch_logs[m->name()] = m->state();
                }
            }
            while (pending > 0) finish_oldest();
            if (interrupted) break;

            if (comm) {  // the epoch's figures over every process's rows; rank 0's moving statistics for all
                pool_metrics(*comm, metrics);
                broadcast_buffers(*comm, *this);
            }
            logs.clear();
            logs.add("loss", loss_sum / static_cast<double>(std::max<std::int64_t>(seen, 1)));
            for (auto& m : metrics) logs.add(m->name(), m->result());
            if (!x_val.empty()) {
                const Scores validation = evaluate(x_val, y_val);
                for (const auto& [name, value] : validation.items()) logs.add("val_" + name, value);
            }
            logs.add("learning_rate", optimizer_->learning_rate());
            for (const auto& [name, value] : logs.items()) history.append(name, value);
            each(&CallbackBase::on_epoch_end);
            progress_ = {.epoch = epoch, .batch = 0, .step = state.step, .shuffle = rng, .history = history};
            keep_callback_states();
            checkpoint();
        }
    } catch (const std::exception& e) {
        if (comm) comm->abort(e.what());
        throw;
    }
    // Before on_train_end, which may put the best weights back: the checkpoint
    // holds the weights training stopped at, to go on from there.
    if (progress_.interrupted) checkpoint();
    each(&CallbackBase::on_train_end);
    if (options.lr_schedule) optimizer_->set_learning_rate(base_lr);
    if (progress_.interrupted && options.verbose > 0 && rank == 0)
        std::fprintf(stderr, "Interrupted at epoch %d, batch %lld of %lld%s%s\n", progress_.epoch + 1,
                     static_cast<long long>(progress_.batch), static_cast<long long>(batches),
                     options.checkpoint.empty() ? "" : "; checkpoint written to ", options.checkpoint.c_str());
    return history;
}

}  // namespace mlp
