#include "mlp/report/activation_plots.hpp"

#include "mlp/core/tensor.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/report/line_chart.hpp"

namespace mlp::report {

namespace {

struct Plotted {
    const char* spec;  ///< what Activation parses
    const char* title;
    const char* equation;
};

const Plotted plotted[] = {
    {"linear", "linear (identity)",
     "f(z) = z;  the derivative is 1. A stack of linear layers is one linear layer: the hidden layers need a "
     "non-linear f."},
    {"step", "step (Heaviside)",
     "1 for z >= 0, else 0: the perceptron's unit;  the derivative is 0 everywhere but at 0, so gradient descent "
     "cannot train it (the perceptron rule does)."},
    {"sign", "sign",
     "-1, 0 or +1 by the sign of z: Adaline's output at prediction time;  the derivative is 0 almost "
     "everywhere."},
    {"piecewise_linear", "piecewise linear",
     "clip(z + 1/2, 0, 1): a ramp between two plateaus;  the derivative is 1 on (-1/2, 1/2) and 0 outside, where "
     "the unit passes no gradient."},
    {"sigmoid", "sigmoid",
     "σ(z) = 1 / (1 + e^-z);  σ'(z) = σ(z) (1 - σ(z)), at most 1/4: gradients shrink through "
     "every sigmoid layer."},
    {"tanh", "tanh", "tanh(z) = (e^z - e^-z) / (e^z + e^-z);  tanh'(z) = 1 - tanh²(z), at most 1, zero-centred."},
    {"relu", "ReLU",
     "relu(z) = max(0, z);  relu'(z) = 1 for z > 0, else 0: no shrinking, but a unit stuck below "
     "zero learns nothing."},
    {"leaky_relu", "leaky ReLU (α = 0.01, the default)",
     "z for z > 0, else αz;  the derivative is 1 or α, never 0. At α = 0.01 the slope below zero is barely "
     "visible, yet it is what keeps a unit from dying."},
    {"elu", "ELU (α = 1)", "z for z > 0, else α(e^z - 1);  the derivative is 1 or α e^z: smooth, saturating at -α."},
    {"gelu", "GELU",
     "z Φ(z) with Φ the standard normal CDF;  GELU'(z) = Φ(z) + z φ(z), dipping below 0 near z = -0.75."},
    {"softmax", "softmax, one slice",
     "s₁ = e^z₁ / (e^z₁ + e^z₂ + e^z₃) drawn along z₁ with z₂ = z₃ = 0;  ∂s₁/∂z₁ = s₁ (1 - s₁)."},
};

constexpr std::int64_t points = 201;
constexpr double lo = -5, hi = 5;

std::string chart(const Plotted& p) {
    // Softmax needs a row of three: z₁ varies, the others stay 0.
    const bool softmax = std::string(p.spec) == "softmax";
    const std::int64_t width = softmax ? 3 : 1;
    Tensor z(Shape{points, width}, DType::f64);
    Tensor dy(Shape{points, width}, DType::f64);
    std::vector<double> x(points), f(points), df(points);
    for (std::int64_t i = 0; i < points; ++i) {
        x[static_cast<std::size_t>(i)] = lo + (hi - lo) * static_cast<double>(i) / (points - 1);
        z.data<double>()[i * width] = x[static_cast<std::size_t>(i)];
        dy.data<double>()[i * width] = 1;  // backward then gives df₁/dz₁ in column 0
    }
    Activation layer(p.spec);
    layer.build(width, DType::f64);
    const TensorView a = layer.forward(z.view(), true);
    for (std::int64_t i = 0; i < points; ++i) f[static_cast<std::size_t>(i)] = a.item(i * width);
    const TensorView dz = layer.backward(dy.view());
    for (std::int64_t i = 0; i < points; ++i) df[static_cast<std::size_t>(i)] = dz.item(i * width);

    LineChart c(
        {.id = std::string("activation-") + p.spec, .title = p.title, .x_label = "z", .width = 380, .height = 280});
    c.add({.name = "f(z)", .x = x, .y = f});
    c.add({.name = "f'(z)", .x = x, .y = df, .dashed = true});
    return c.svg();
}

}  // namespace

std::vector<std::string> activation_function_charts() {
    std::vector<std::string> out;
    for (const auto& p : plotted) out.push_back(chart(p));
    return out;
}

HtmlPage activation_functions_page() {
    HtmlPage page("activation functions");
    page.paragraph(
        "Each hidden unit computes a = f(z) with z = x·w + b. Backpropagation multiplies the incoming gradient by "
        "f'(z) at every layer, so the derivative's size decides whether gradients survive many layers. The curves "
        "come from mlp's own forward and backward passes.");
    const auto charts = activation_function_charts();
    for (std::size_t i = 0; i < charts.size(); ++i) page.figure(charts[i], plotted[i].equation);
    return page;
}

}  // namespace mlp::report
