// The experiments' catalog and what they share.
#include <cmath>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

report::HtmlPage vanishing_gradients_page(const ExperimentOptions& options);
report::HtmlPage initialization_page(const ExperimentOptions& options);
report::HtmlPage universal_approximation_page(const ExperimentOptions& options);
report::HtmlPage residual_page(const ExperimentOptions& options);
report::HtmlPage spirals_page(const ExperimentOptions& options);
report::HtmlPage activations_page(const ExperimentOptions& options);
report::HtmlPage dead_relu_page(const ExperimentOptions& options);
report::HtmlPage depth_vs_width_page(const ExperimentOptions& options);
report::HtmlPage learning_rate_page(const ExperimentOptions& options);
report::HtmlPage vectorization_page(const ExperimentOptions& options);
report::HtmlPage bptt_page(const ExperimentOptions& options);

const std::vector<Experiment>& experiments() {
    static const std::vector<Experiment> all = {
        {"vanishing-gradients",
         "gradient norm per layer of 10-layer sigmoid, tanh and ReLU networks, at initialization and after one epoch",
         vanishing_gradients_page, "vanishing-gradients"},
        {"initialization",
         "zeros, small, too large, Glorot and He initialization: learning curves and the symmetry "
         "problem",
         initialization_page, "initialization"},
        {"activations", "the same network with sigmoid, tanh, ReLU, leaky ReLU, ELU and GELU: convergence and accuracy",
         activations_page, "moons"},
        {"dead-relu",
         "dead ReLU units and accuracy over training with a high learning rate or negative biases, and leaky ReLU",
         dead_relu_page, "dead-relu"},
        {"depth-vs-width",
         "equal parameter counts on spirals (4,500 and 60): one wide layer against deeper, narrower stacks",
         depth_vs_width_page, "spirals"},
        {"universal-approximation", "one hidden layer of 1 to 64 units fitting a 1-D function",
         universal_approximation_page, "universal-approximation"},
        {"learning-rate", "too small, good and too large learning rates; full-batch, stochastic and mini-batch descent",
         learning_rate_page, "learning-rate"},
        {"residual",
         "a 30-layer plain ReLU network against 30 layers in residual blocks: loss and first-layer gradient",
         residual_page},
        {"bptt", "how the gradient fades along a tanh recurrence; full against truncated BPTT on a sequence task",
         bptt_page},
        {"spirals", "a 3-arm spiral classified, with the decision boundary drawn", spirals_page, "spirals"},
        {"vectorization", "a textbook scalar loop, one sample at a time and the batched matrix form, timed (medians)",
         vectorization_page},
    };
    return all;
}

const Experiment& experiment(const std::string& name) {
    std::string known;
    for (const auto& e : experiments()) {
        if (e.name == name) return e;
        known += (known.empty() ? "" : ", ") + e.name;
    }
    throw ConfigError("unknown experiment '" + name + "'; known: " + known);
}

data::Dataset gaussian_task(std::int64_t n, std::int64_t features, std::uint64_t seed) {
    Random rng(seed);
    std::vector<double> direction(static_cast<std::size_t>(features));
    for (double& v : direction) v = rng.normal();
    data::Dataset d{.x = Tensor(Shape{n, features}), .y = Tensor(Shape{n, 1}), .classes = 2};
    for (std::int64_t i = 0; i < n; ++i) {
        double dot = 0;
        for (std::int64_t j = 0; j < features; ++j) {
            const double v = rng.normal();
            d.x.data<float>()[i * features + j] = static_cast<float>(v);
            dot += v * direction[static_cast<std::size_t>(j)];
        }
        d.y.data<float>()[i] = dot > 0 ? 1.0f : 0.0f;
    }
    return d;
}

namespace {
double norm(const TensorView& t) {
    double sum = 0;
    for (std::int64_t i = 0; i < t.numel(); ++i) sum += t.item(i) * t.item(i);
    return std::sqrt(sum);
}

void collect(const Layer& layer, std::vector<double>& out) {
    if (dynamic_cast<const Dense*>(&layer)) {
        out.push_back(norm(layer.parameters()[0].grad));
    } else if (const auto* block = dynamic_cast<const Residual*>(&layer)) {
        for (std::size_t i = 0; i < block->size(); ++i) collect(block->layer(i), out);
    }
}
}  // namespace

std::vector<double> kernel_gradient_norms(const Sequential& model) {
    std::vector<double> out;
    for (std::size_t i = 0; i < model.size(); ++i) collect(model.layer(i), out);
    return out;
}

std::vector<double> kernel_gradient_norms(Sequential& model, const TensorView& x, const TensorView& y) {
    model.compute_gradients(x, y);
    return kernel_gradient_norms(model);
}

}  // namespace mlp::lessons
