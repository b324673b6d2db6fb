// `mlp gradcheck --layers 8:tanh,3:softmax --inputs 4`: central differences
// against backpropagation, in float64, for every weight tensor and the input.
#include <chrono>
#include <cstdio>
#include <memory>

#include "inspect.hpp"
#include "layer_spec.hpp"
#include "mlp/mlp.hpp"
#include "validators.hpp"

namespace mlp::cli {

namespace {

struct GradcheckArgs {
    std::string layers = "8:tanh,3:softmax";
    std::int64_t inputs = 4;
    std::int64_t batch = 5;
    std::string loss = "auto";
    std::uint64_t seed = 0;
    double tolerance = 1e-6;
    std::int64_t max_entries = 0;
};

void gradcheck(const GradcheckArgs& a) {
    Sequential model(0, {.seed = a.seed, .dtype = DType::f64});
    add_layers(model, a.layers);
    // Central differences take two forward passes per parameter: refuse a size
    // that would run for days before allocating it (Dense layers counted).
    constexpr double most = 1e6;
    double parameters = 0, width = static_cast<double>(a.inputs);
    for (std::size_t i = 0; i < model.size(); ++i)
        if (const auto* dense = dynamic_cast<const Dense*>(&model.layer(i))) {
            parameters += (width + 1) * static_cast<double>(dense->units());
            width = static_cast<double>(dense->units());
        }
    if (parameters > most)
        throw ConfigError("gradcheck: " + a.layers + " on " + std::to_string(a.inputs) + " inputs has about " +
                          std::to_string(static_cast<long long>(parameters)) +
                          " parameters; a gradient check takes two forward passes per parameter, so it checks "
                          "models of up to 1,000,000: use fewer units");
    model.build(a.inputs);
    const ActivationFunction* last = model.layer(model.size() - 1).output_activation();
    const bool softmax = last && last->is(ActivationFunction::Kind::softmax);
    const bool sigmoid = last && last->is(ActivationFunction::Kind::sigmoid);
    const Loss loss(a.loss != "auto" ? a.loss
                    : softmax        ? "sparse_categorical_crossentropy"
                    : sigmoid        ? "binary_crossentropy"
                                     : "mse");
    model.compile("sgd", loss);
    // Random inputs; targets the loss accepts: class ids, 0/1, or values.
    Random rng(a.seed + 1);
    Tensor x(Shape{a.batch, a.inputs}, DType::f64);
    for (double& v : x.values<double>()) v = rng.uniform(-1, 1);
    const std::int64_t outputs = model.outputs();
    const bool ids = loss.kind() == Loss::Kind::sparse_categorical_crossentropy;
    Tensor y = ids ? Tensor(Shape{a.batch}, DType::f64) : Tensor(Shape{a.batch, outputs}, DType::f64);
    for (std::int64_t i = 0; i < y.numel(); ++i) {
        double& v = y.data<double>()[i];
        if (ids)
            v = static_cast<double>(rng.below(static_cast<std::uint64_t>(outputs)));
        else if (loss.kind() == Loss::Kind::categorical_crossentropy)
            v = (i % outputs) == (i / outputs) % outputs;
        else if (loss.is_crossentropy())
            v = rng.uniform() < 0.5 ? 0.0 : 1.0;
        else
            v = rng.uniform(-1, 1);
    }
    // A line on stderr every 2 s or so: a large model takes minutes.
    auto shown = std::chrono::steady_clock::now();
    const auto progress = [&](const std::string& tensor, std::int64_t done, std::int64_t total) {
        const auto now = std::chrono::steady_clock::now();
        if (done == total || now - shown < std::chrono::seconds(2)) return;
        shown = now;
        std::fprintf(stderr, "checking %s: %lld of %lld entries\n", tensor.c_str(), static_cast<long long>(done),
                     static_cast<long long>(total));
    };
    const check::Report report = check::gradients(model, x, y, {.max_entries = a.max_entries, .progress = progress});
    std::printf("gradient check of %s on %lld inputs, loss %s, batch %lld (float64, central differences):\n%s",
                a.layers.c_str(), static_cast<long long>(a.inputs), loss.name().c_str(),
                static_cast<long long>(a.batch), report.str().c_str());
    std::int64_t entries = 0;
    for (const auto& t : report.tensors) entries += t.entries;
    // The lesson of the check: what backpropagation saves.
    std::printf("finite differences: %lld forward passes (2 per entry); backpropagation: 1 forward and 1 backward "
                "pass for all of them\n",
                static_cast<long long>(2 * entries));
    if (!report.passed(a.tolerance))
        throw NumericError("a relative error exceeds " + std::to_string(a.tolerance) +
                           ": backward disagrees with finite differences");
    std::printf("every tensor within %g\n", a.tolerance);
}

}  // namespace

void add_gradcheck_command(CLI::App& app) {
    auto args = std::make_shared<GradcheckArgs>();
    auto* cmd = app.add_subcommand("gradcheck", "Check backpropagation against finite differences, tensor by tensor");
    cmd->footer(
        "Example:\n  mlp gradcheck --layers 8:tanh,batchnorm,3:softmax --inputs 4 --loss categorical_crossentropy\n"
        "  mlp gradcheck --layers 128:relu,dropout:0.2,10:softmax --inputs 784 --max-entries 200");
    cmd->add_option("--layers", args->layers, "A compact layer spec, as mlp train takes it")->capture_default_str();
    cmd->add_option("--inputs", args->inputs, "Input features")->capture_default_str()->check(positive());
    cmd->add_option("--batch", args->batch, "Rows in the random batch")->capture_default_str()->check(positive());
    cmd->add_option("--loss", args->loss, "Loss; auto follows the output activation")->capture_default_str();
    cmd->add_option("--seed", args->seed, "Seed for weights, inputs and targets")->capture_default_str();
    cmd->add_option("--tolerance", args->tolerance, "Largest relative error that passes")->capture_default_str();
    cmd->add_option("--max-entries", args->max_entries,
                    "Entries checked per tensor, spread evenly; 0 checks every one")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->callback([args] { gradcheck(*args); });
}

}  // namespace mlp::cli
