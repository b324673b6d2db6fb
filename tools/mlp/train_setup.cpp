// The steps of `mlp train` between its flags and fit(): the model and its
// optimizer, the task, the data's source, and the checks made before training.
#include "train_setup.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "inputs.hpp"
#include "layer_spec.hpp"

namespace mlp::cli {

/// How the data were read: a file by its absolute path, so that the run's
/// config.json and a checkpoint find it again from any directory.
nlohmann::ordered_json data_section(const TrainArgs& a) {
    const bool file = std::filesystem::is_regular_file(a.data) || std::filesystem::is_directory(a.data);
    return {{"name", file ? std::filesystem::absolute(a.data).lexically_normal().string() : a.data},
            {"label", a.label},
            {"task", a.task},
            {"categorical", a.categorical},
            {"ignore", a.ignore},
            {"delimiter", std::string(1, a.delimiter)},
            {"test_split", a.test_split},
            {"test_data",
             a.test_data.empty() ? std::string() : std::filesystem::absolute(a.test_data).lexically_normal().string()}};
}

/// A resumed run without --data reads what the checkpoint was trained on.
void take_data_from_checkpoint(TrainArgs& a, const Sequential& model) {
    const std::string source = model.input_spec().source;
    if (a.given.count("--data") || source.empty()) {
        if (!a.given.count("--data"))
            throw ConfigError("--resume '" + a.resume + "' does not record its training data; give --data");
        return;
    }
    const auto d = nlohmann::json::parse(source);
    auto take = [&](const char* key, const char* flag, auto& field) {
        if (d.contains(key) && !a.given.count(flag)) field = d[key].get<std::remove_reference_t<decltype(field)>>();
    };
    take("name", "--data", a.data);
    take("label", "--label", a.label);
    take("task", "--task", a.task);
    take("categorical", "--categorical", a.categorical);
    take("ignore", "--ignore", a.ignore);
    take("test_split", "--test-split", a.test_split);
    take("test_data", "--test-data", a.test_data);
    take("seed", "--seed", a.seed);
    if (d.contains("delimiter") && !a.given.count("--delimiter")) a.delimiter = d["delimiter"].get<std::string>().at(0);
}

namespace {

Loss default_loss(const Sequential& model) {
    const ActivationFunction* act = model.layer(model.size() - 1).output_activation();
    if (act && act->is(ActivationFunction::Kind::sigmoid)) return Loss("binary_crossentropy");
    if (act && act->is(ActivationFunction::Kind::softmax)) return Loss("sparse_categorical_crossentropy");
    return Loss("mse");
}

OptimizerOptions make_optimizer(const TrainArgs& a) {
    OptimizerOptions options = optimizer_from_name(a.optimizer);  // throws listing the names
    const bool momentum_given = a.given.count("--momentum") > 0;
    std::visit(
        [&](auto& o) {
            using O = std::decay_t<decltype(o)>;
            o.lr = a.lr;
            o.clipnorm = a.clipnorm;
            o.clipvalue = a.clipvalue;
            o.global_clipnorm = a.global_clipnorm;
            if constexpr (std::is_same_v<O, SGD>) {
                // "momentum"/"nesterov" default to 0.9; plain "sgd" takes --momentum as Keras's SGD(momentum=).
                if (o.momentum > 0 || momentum_given) o.momentum = a.momentum;
            } else if constexpr (std::is_same_v<O, RMSprop>) {
                if (momentum_given) o.momentum = a.momentum;
            } else if (momentum_given) {
                throw ConfigError("--momentum does not apply to --optimizer " + a.optimizer +
                                  "; it goes with sgd, momentum, nesterov or rmsprop");
            }
            if constexpr (std::is_same_v<O, AdamW>) {
                o.weight_decay = a.weight_decay;
            } else if (a.given.count("--weight-decay")) {
                throw ConfigError("--weight-decay is AdamW's decoupled decay and does not apply to --optimizer " +
                                  a.optimizer + "; use --optimizer adamw, or --l2 for a penalty in the loss");
            }
        },
        options);
    return options;
}

}  // namespace

/// "classification" or "regression", as the user says (--task) or as the
/// model's loss or output layer shows, with the reason for the output.
std::pair<std::string, std::string> choose_task(const TrainArgs& a, const Sequential& model) {
    if (a.task != "auto") return {a.task, "--task " + a.task};
    if (split_list(a.label).size() > 1) return {"regression", "several labels: " + a.label};
    if (model.compiled())
        return {model.loss().is_crossentropy() ? "classification" : "regression", "the loss is " + model.loss().name()};
    if (a.loss != "auto")
        return {Loss(a.loss).is_crossentropy() ? "classification" : "regression", "the loss is " + a.loss};
    const ActivationFunction* act = model.size() > 0 ? model.layer(model.size() - 1).output_activation() : nullptr;
    const bool classes =
        act && (act->is(ActivationFunction::Kind::softmax) || act->is(ActivationFunction::Kind::sigmoid));
    return {classes ? "classification" : "regression",
            std::string("the output layer is ") + (act ? act->str() : std::string("linear"))};
}

/// Every value of a data set is finite: found before training, not after it.
void check_finite(const data::Dataset& d, const std::string& what) {
    for (const auto* t : {&d.x, &d.y}) {
        if (t->empty()) continue;
        const std::int64_t cols = t->numel() / std::max<std::int64_t>(1, t->rows());
        for (std::int64_t i = 0; i < t->numel(); ++i)
            if (!std::isfinite(t->item(i)))
                throw DataError(what + ": " + (t == &d.x ? "x" : "y") + " has " + std::to_string(t->item(i)) +
                                " at row " + std::to_string(i / cols + 1) + ", column " + std::to_string(i % cols + 1) +
                                (t == &d.x && static_cast<std::size_t>(i % cols) < d.feature_names.size()
                                     ? " ('" + d.feature_names[static_cast<std::size_t>(i % cols)] + "')"
                                     : ""));
    }
}

/// "cosine", "step:EPOCHS:FACTOR", "exponential:STEPS:RATE", "warmup:STEPS", "restarts:STEPS".
Schedule make_schedule(const std::string& spec) {
    std::vector<std::string> parts;
    std::stringstream in(spec);
    for (std::string p; std::getline(in, p, ':');) parts.push_back(p);
    auto number = [&](std::size_t i, double fallback) {
        if (i >= parts.size()) return fallback;
        try {
            return std::stod(parts[i]);
        } catch (const std::exception&) {
            throw ConfigError("--lr-schedule '" + spec + "': '" + parts[i] + "' is not a number");
        }
    };
    const std::string kind = parts.empty() ? "" : parts[0];
    if (kind == "cosine") return CosineDecay{};
    if (kind == "step") return StepDecay{.epochs = static_cast<int>(number(1, 10)), .factor = number(2, 0.1)};
    if (kind == "exponential")
        return ExponentialDecay{.decay_steps = static_cast<std::int64_t>(number(1, 1000)),
                                .decay_rate = number(2, 0.96)};
    if (kind == "warmup") return LinearWarmup{.warmup_steps = static_cast<std::int64_t>(number(1, 1000))};
    if (kind == "restarts") return CosineDecayRestarts{.first_decay_steps = static_cast<std::int64_t>(number(1, 1000))};
    throw ConfigError("unknown --lr-schedule '" + spec +
                      "'; known: cosine, step:EPOCHS:FACTOR, exponential:STEPS:RATE, warmup:STEPS, restarts:STEPS");
}

/// The model as the flags, a --config spec or a --resume checkpoint give it,
/// not yet built nor compiled (a loaded checkpoint is both).
Sequential unbuilt_model(const TrainArgs& a, const nlohmann::json& spec) {
    for (const char* flag : {"--init", "--bias-init", "--l2"})
        if (a.given.count(flag) && (!a.resume.empty() || !spec.is_null()))
            throw ConfigError(
                std::string(flag) + " goes with --layers; " +
                (a.resume.empty() ? "a --config spec gives each layer's own" : "a resumed model has its own"));
    if (!a.resume.empty()) {
        if (std::filesystem::is_directory(a.resume))
            throw ConfigError("--resume '" + a.resume + "' is a directory; give the checkpoint file in it");
        return Sequential::load(a.resume);
    }
    if (!spec.is_null()) {
        if (a.given.count("--layers"))
            throw ConfigError("--layers and --config both give the layers; edit the file's \"layers\" instead");
        return Sequential::from_json(spec.dump());
    }
    Sequential m(0, ModelOptions{.seed = a.seed});
    add_layers(m, a.layers, {.init = a.init, .bias_init = a.bias_init, .kernel_regularizer = l2(a.l2)});
    return m;
}

/// Builds and compiles the model for `train`. Flags given beside a --config
/// spec win over its "compile" section.
void prepare(Sequential& m, const TrainArgs& a, const data::Dataset& train) {
    if (!a.resume.empty()) return;
    if (!a.normalize.empty() && !dynamic_cast<const Normalization*>(&m.layer(0))) {  // in front of the layers
        Sequential scaled(0, ModelOptions{.seed = m.seed(), .dtype = m.dtype()});
        scaled.add(Normalization(a.normalize).adapt(train.x));
        for (std::size_t i = 0; i < m.size(); ++i) scaled.add(m.layer(i));
        if (m.compiled()) scaled.compile(m.optimizer().options(), m.loss(), m.metric_names());
        m = std::move(scaled);
    }
    if (!m.built()) m.build(train.features());
    // An input Normalization layer is fitted afresh on this run's training data.
    if (auto* norm = dynamic_cast<Normalization*>(&m.layer(0))) norm->adapt(train.x);
    const bool flags_compile = a.given.count("--optimizer") || a.given.count("--loss") || a.given.count("--metrics");
    if (m.compiled() && !flags_compile) {
        if (a.given.count("--lr")) m.optimizer().set_learning_rate(a.lr);
        return;
    }
    const Loss loss = a.loss != "auto" ? Loss(a.loss) : m.compiled() ? m.loss() : default_loss(m);
    std::vector<std::string> metrics = split_list(a.metrics);
    if (a.metrics.empty()) metrics = m.compiled() ? m.metric_names() : std::vector<std::string>{};
    if (metrics.empty() && !a.given.count("--metrics") && loss.is_crossentropy()) metrics = {"accuracy"};
    m.compile(m.compiled() && !a.given.count("--optimizer") ? m.optimizer().options() : make_optimizer(a), loss,
              metrics);
    if (a.given.count("--lr")) m.optimizer().set_learning_rate(a.lr);
}

/// A classifier's last layer gives one output per class (or one for two
/// classes). More outputs train (the extra classes are never the target) and
/// are warned of; fewer cannot.
void check_outputs_fit_classes(const Sequential& m, const data::Dataset& train, bool quiet) {
    const std::int64_t classes = train.classes, outputs = m.outputs();
    if (classes == 0 || outputs == classes || (classes == 2 && outputs == 1)) return;
    if (outputs > classes) {
        if (!quiet)
            std::fprintf(stderr, "mlp: warning: the data has %lld classes and the last layer, %s, %lld outputs\n",
                         static_cast<long long>(classes), m.layer(m.size() - 1).label().c_str(),
                         static_cast<long long>(outputs));
        return;
    }
    std::string names;
    for (std::size_t c = 0; c < train.class_names.size() && c < 8; ++c) names += (c ? ", " : "") + train.class_names[c];
    if (train.class_names.size() > 8) names += ", ...";
    throw ConfigError(
        "the data has " + std::to_string(classes) + " classes" + (names.empty() ? "" : " (" + names + ")") +
        ", but the last layer, " + m.layer(m.size() - 1).label() + ", has " + std::to_string(outputs) +
        (outputs == 1 ? " output" : " outputs") + "; give it " + std::to_string(classes) + " units with softmax" +
        (classes == 2 ? " (or 1 with sigmoid)" : "") + ", or say --task regression for numeric targets");
}

}  // namespace mlp::cli
