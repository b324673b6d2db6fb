// Initialization: all-zero weights make every hidden unit of a layer compute
// the same thing and receive the same gradient, forever (the symmetry
// problem); weights too small shrink the signal layer by layer, too large
// blow it up; Glorot and He scale them to the layer's fan-in and fan-out.
#include <cmath>
#include <cstdio>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

std::int64_t distinct_units(const Layer& dense, double tolerance) {
    const auto params = dense.parameters();
    const TensorView kernel = params[0].value;  // (I, O): unit j is column j
    const std::int64_t in = kernel.rows(), units = kernel.cols();
    std::vector<std::int64_t> representatives;
    for (std::int64_t j = 0; j < units; ++j) {
        bool seen = false;
        for (const std::int64_t r : representatives) {
            bool same = params.size() < 2 || std::abs(params[1].value.item(j) - params[1].value.item(r)) <= tolerance;
            for (std::int64_t i = 0; i < in && same; ++i)
                same = std::abs(kernel.item(i * units + j) - kernel.item(i * units + r)) <= tolerance;
            if (same) seen = true;
        }
        if (!seen) representatives.push_back(j);
    }
    return static_cast<std::int64_t>(representatives.size());
}

Sequential trained_with_init(const std::string& init, int epochs, std::uint64_t seed) {
    const data::Dataset moons = data::moons(400, 0.1, seed);
    const DenseOptions o{.init = init, .bias_init = init};
    Sequential model(2, {Dense(16, "sigmoid", o), Dense(16, "sigmoid", o), Dense(1, "sigmoid", o)}, {.seed = seed});
    model.compile(SGD{.lr = 0.5, .momentum = 0.9}, Loss("binary_crossentropy"), {"accuracy"});
    model.fit(moons.x.view(), moons.y.view(), {.epochs = epochs, .batch_size = 32, .verbose = 0, .seed = seed});
    return model;
}

InitRun train_spirals_with_init(const std::string& init, int epochs, std::uint64_t seed) {
    const data::Dataset spirals = data::spirals(1500, 3, 0.1, seed);
    const DenseOptions o{.init = init};
    Sequential model(2,
                     {Dense(64, "relu", o), Dense(64, "relu", o), Dense(64, "relu", o), Dense(64, "relu", o),
                      Dense(3, "softmax", o)},
                     {.seed = seed});
    model.compile(SGD{.lr = 0.01, .momentum = 0.9}, Loss("sparse_categorical_crossentropy"), {"accuracy"});
    const History h =
        model.fit(spirals.x.view(), spirals.y.view(),
                  {.epochs = epochs, .batch_size = 32, .verbose = 0, .seed = seed, .callbacks = {TerminateOnNaN{}}});
    InitRun run{.loss = h["loss"], .accuracy = h["accuracy"], .distinct_units = distinct_units(model.layer(1))};
    run.diverged = !std::isfinite(run.loss.back());
    return run;
}

report::HtmlPage initialization_page(const ExperimentOptions& options) {
    const int epochs = options.quick ? 8 : 40;
    struct Setting {
        const char* init;
        bool dashed;  // the curves that lie on ln 3 together, told apart
    };
    const Setting settings[] = {{"zeros", false},   {"normal:0.01", true},     {"normal:0.05", false},
                                {"normal:1", true}, {"glorot_uniform", false}, {"he_normal", false}};
    report::LineChart loss({.id = "initialization-loss",
                            .title = "training loss, 4 ReLU layers of 64 on 3-arm spirals",
                            .x_label = "epoch",
                            .y_label = "loss (log)",
                            .log_y = true,
                            .width = 720,
                            .height = 400});
    std::vector<std::vector<std::string>> rows;
    for (const Setting& s : settings) {
        const InitRun run = train_spirals_with_init(s.init, epochs, options.seed);
        loss.add({.name = s.init, .y = run.loss, .dashed = s.dashed});
        char first_loss[32], final_loss[32], accuracy[32];
        std::snprintf(first_loss, sizeof first_loss, "%.4g", run.loss.front());
        std::snprintf(final_loss, sizeof final_loss, "%.4g", run.loss.back());
        std::snprintf(accuracy, sizeof accuracy, "%.3f", run.accuracy.back());
        rows.push_back({s.init, first_loss, run.diverged ? "diverged (NaN)" : final_loss, accuracy,
                        std::to_string(run.distinct_units) + " of 64"});
    }
    const Sequential symmetric = trained_with_init("zeros", options.quick ? 10 : 50, options.seed);
    report::HtmlPage page("Initialization");
    page.paragraph(
        "The same network trained from six initializations of its weights (biases start at zero). Chance level "
        "for three classes is a loss of ln 3 = 1.099.");
    page.paragraph(
        "With all weights zero, every hidden unit of a layer computes the same output and receives the same "
        "gradient; with ReLU that gradient is zero as well, so nothing moves and the loss stays at ln 3 for good. "
        "Weights of standard deviation 0.01 shrink the signal at every layer (each multiplies its size by about "
        "0.01 x sqrt(64/2) = 0.06), so the output and the gradients reaching the first layers are tiny: in these "
        "epochs the loss does not leave ln 3, and its dashed line lies on the zeros line. At 0.05 the shrinking is "
        "milder: the loss sits on the plateau for many epochs, then learns. Weights of standard deviation 1 blow "
        "the signal up instead (x 5.7 per layer): the first loss is in the hundreds or more, the first steps "
        "throw the ReLUs into the region where they are all dead, and after that the loss lies at ln 3 too (or "
        "becomes NaN and training stops). Glorot and He scale the weights by the layer's fan-in (and fan-out), "
        "keeping the signal's size from layer to layer, and learn from the first epoch; He's factor of 2 suits "
        "ReLU, which zeroes half its inputs, and starts fastest.");
    page.figure(loss.svg());
    page.table({"initialization", "loss in epoch 1", "final training loss", "training accuracy",
                "distinct units in hidden layer 2"},
               rows);
    page.paragraph(
        "A 2-16-16-1 sigmoid network on moons, every weight and bias starting at zero, after training: "
        "hidden layer 1 has " +
        std::to_string(distinct_units(symmetric.layer(0))) + " distinct unit(s) of 16, hidden layer 2 has " +
        std::to_string(distinct_units(symmetric.layer(1))) + ". The weights did change, but every unit changed alike.");
    return page;
}

}  // namespace mlp::lessons
