#include "train.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "layer_spec.hpp"
#include "mlp/mlp.hpp"

namespace mlp::cli {

namespace {

struct TrainArgs {
    std::string data = "fashion-mnist";
    std::string layers = "256:relu,128:relu,10:softmax";
    std::string optimizer = "adam";
    double lr = 1e-3;
    double momentum = 0.9;
    std::string loss = "auto";
    int epochs = 10;
    std::int64_t batch_size = 128;
    double validation_split = 0.0;
    std::uint64_t seed = 0;
    int threads = 0;
    std::string history;
    bool quiet = false;
};

Loss default_loss(const Sequential& model) {
    const ActivationFunction* act = model.layer(model.size() - 1).output_activation();
    if (act && act->is(ActivationFunction::Kind::sigmoid)) return Loss("binary_crossentropy");
    if (act && act->is(ActivationFunction::Kind::softmax)) return Loss("sparse_categorical_crossentropy");
    return Loss("mse");
}

OptimizerOptions make_optimizer(const TrainArgs& a) {
    if (a.optimizer == "adam") return Adam{.lr = a.lr};
    if (a.optimizer == "sgd") return SGD{.lr = a.lr};
    if (a.optimizer == "momentum") return SGD{.lr = a.lr, .momentum = a.momentum};
    if (a.optimizer == "nesterov") return SGD{.lr = a.lr, .momentum = a.momentum, .nesterov = true};
    throw ConfigError("unknown --optimizer '" + a.optimizer + "'; known: adam, sgd, momentum, nesterov");
}

void run(const TrainArgs& a) {
    if (a.threads > 0) set_num_threads(a.threads);
    const data::Dataset train = data::load_named(a.data, "train");
    const data::Dataset test = data::load_named(a.data, "test");

    Sequential model(0, ModelOptions{.seed = a.seed});
    add_layers(model, a.layers);
    model.build(train.features());
    const Loss loss = a.loss == "auto" ? default_loss(model) : Loss(a.loss);
    const bool classify = loss.is_crossentropy();
    model.compile(make_optimizer(a), loss, classify ? std::vector<std::string>{"accuracy"} : std::vector<std::string>{});
    if (!a.quiet) model.summary();

    const auto start = std::chrono::steady_clock::now();
    const History history = model.fit(train.x, train.y,
                                      {.epochs = a.epochs,
                                       .batch_size = a.batch_size,
                                       .validation_split = a.validation_split,
                                       .verbose = a.quiet ? 0 : 1,
                                       .seed = a.seed});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const Scores scores = model.evaluate(test.x, test.y);
    std::printf("test %s\n", scores.str().c_str());
    if (!a.quiet)
        std::printf("trained %d epochs on %lld samples in %.1f s (%.0f samples/s)\n", a.epochs,
                    static_cast<long long>(train.size()), seconds,
                    static_cast<double>(train.size()) * a.epochs / seconds);
    if (!a.history.empty()) {
        const auto parent = std::filesystem::path(a.history).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
        history.save(a.history);
        if (!a.quiet) std::printf("history written to %s\n", a.history.c_str());
    }
}

}  // namespace

void add_train_command(CLI::App& app) {
    auto args = std::make_shared<TrainArgs>();
    auto* cmd = app.add_subcommand("train", "Train a network on a data set and print its test scores");
    cmd->footer(
        "Example:\n  mlp train --data fashion-mnist --layers 256:relu,128:relu,10:softmax \\\n"
        "            --optimizer adam --lr 1e-3 --epochs 10 --batch-size 128 --history out/history.csv");
    cmd->add_option("--data", args->data, "Data set: fashion-mnist, moons, xor")->capture_default_str();
    cmd->add_option("--layers", args->layers, "Layers as UNITS:ACTIVATION,...")->capture_default_str();
    cmd->add_option("--optimizer", args->optimizer, "adam, sgd, momentum or nesterov")->capture_default_str();
    cmd->add_option("--lr", args->lr, "Learning rate")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--momentum", args->momentum, "Momentum for momentum/nesterov")->capture_default_str();
    cmd->add_option("--loss", args->loss, "Loss; auto follows the output activation")->capture_default_str();
    cmd->add_option("--epochs", args->epochs, "Epochs")->capture_default_str()->check(CLI::NonNegativeNumber);
    cmd->add_option("--batch-size", args->batch_size, "Mini-batch size")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_option("--validation-split", args->validation_split, "Fraction of training data held out")
        ->capture_default_str();
    cmd->add_option("--seed", args->seed, "Seed for initialization and shuffling")->capture_default_str();
    cmd->add_option("--threads", args->threads, "Threads (default: OMP_NUM_THREADS or all cores)");
    cmd->add_option("--history", args->history, "Write History here (.csv or .json)");
    cmd->add_flag("--quiet,-q", args->quiet, "Print only the test scores");
    cmd->callback([args] { run(*args); });
}

}  // namespace mlp::cli
