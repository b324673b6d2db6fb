// Dead ReLUs: a unit whose pre-activation is negative for every input outputs
// 0 and gets no gradient, so it never recovers. Large learning rates and
// negative biases kill units; leaky ReLU keeps a small slope, so none of its
// units is ever dead in that sense.
#include <cstdio>
#include <memory>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

DeadUnitsRun train_for_dead_units(const std::string& activation, double lr, const std::string& bias_init, int epochs,
                                  std::uint64_t seed) {
    const data::Dataset spirals = data::spirals(1500, 3, 0.2, seed);
    const DenseOptions o{.bias_init = bias_init};
    Sequential model(
        2, {Dense(64, activation, o), Dense(64, activation, o), Dense(64, activation, o), Dense(3, "softmax")},
        {.seed = seed});
    model.compile(SGD{.lr = lr, .momentum = 0.9}, Loss("sparse_categorical_crossentropy"), {"accuracy"});
    auto monitor = std::make_shared<TrainingMonitor>(spirals.x.view().rows(0, 512));
    const History h = model.fit(
        spirals.x.view(), spirals.y.view(),
        {.epochs = epochs, .batch_size = 32, .verbose = 0, .seed = seed, .callbacks = {monitor, TerminateOnNaN{}}});
    DeadUnitsRun run{.dead = std::vector<double>(static_cast<std::size_t>(monitor->epochs()), 0.0),
                     .accuracy = h["accuracy"]};
    for (std::size_t l = 0; l < 3; ++l)
        for (std::size_t e = 0; e < run.dead.size(); ++e) run.dead[e] += monitor->layers()[l].dead_fraction[e] / 3;
    return run;
}

report::HtmlPage dead_relu_page(const ExperimentOptions& options) {
    const int epochs = options.quick ? 8 : 40;
    struct Setting {
        const char* name;
        const char* activation;
        double lr;
        const char* bias_init;
        bool dashed;
    };
    const Setting settings[] = {{"ReLU, lr 0.01", "relu", 0.01, "zeros", false},
                                {"ReLU, lr 0.3 (too high)", "relu", 0.3, "zeros", false},
                                {"ReLU, biases start at -1", "relu", 0.01, "constant:-1", false},
                                {"leaky ReLU, lr 0.3", "leaky_relu", 0.3, "zeros", true},
                                {"leaky ReLU, biases -1", "leaky_relu", 0.01, "constant:-1", true}};
    report::LineChart dead({.id = "dead-units",
                            .title = "dead units (no gradient for any of 512 inputs), mean over 3 hidden layers",
                            .x_label = "epoch",
                            .y_label = "fraction dead",
                            .width = 720,
                            .height = 400});
    report::LineChart accuracy({.id = "dead-units-accuracy",
                                .title = "training accuracy",
                                .x_label = "epoch",
                                .y_label = "accuracy",
                                .width = 720,
                                .height = 400});
    std::vector<std::vector<std::string>> rows;
    for (std::size_t i = 0; i < std::size(settings); ++i) {
        const Setting& s = settings[i];
        const DeadUnitsRun run = train_for_dead_units(s.activation, s.lr, s.bias_init, epochs, options.seed);
        dead.add({.name = s.name, .y = run.dead, .colour = report::palette(i), .dashed = s.dashed});
        accuracy.add({.name = s.name, .y = run.accuracy, .colour = report::palette(i), .dashed = s.dashed});
        char first[16], last[16], acc[16];
        std::snprintf(first, sizeof first, "%.2f", run.dead.empty() ? 0.0 : run.dead.front());
        std::snprintf(last, sizeof last, "%.2f", run.dead.empty() ? 0.0 : run.dead.back());
        std::snprintf(acc, sizeof acc, "%.3f", run.accuracy.empty() ? 0.0 : run.accuracy.back());
        rows.push_back({s.name, first, last, acc});
    }
    report::HtmlPage page("Dead ReLUs");
    page.paragraph(
        "Three hidden layers of 64 units on 3-arm spirals (inputs within the unit disc), SGD with momentum 0.9, "
        "batch 32. A ReLU unit is dead when its input is negative for every sample: it outputs 0, its derivative is "
        "0, and no update can bring it back. With a learning rate of 0.01 a few percent of the units die and the "
        "network learns. At 0.3 the first steps throw weights and biases far negative: the dead fraction climbs "
        "to over 90% and the accuracy falls to chance (1/3). Biases that start at -1 are worse than they look: "
        "most first-layer units never see an input large enough to cross 1, the layers above receive next to "
        "nothing, and about 80% of the units are dead from the first epoch to the last, the accuracy at chance.");
    page.paragraph(
        "Leaky ReLU has no dead units: below zero its slope of 0.01 still passes a gradient, so both dashed lines "
        "lie at 0 in the first chart, one over the other. Alive is not the same as learning, though. At lr 0.3 "
        "the leaky network keeps learning where the ReLU one died (well short of what lr 0.01 reaches: the rate "
        "is still too high). From biases of -1 its signal and its gradient pass through three slopes of 0.01, a "
        "millionth of their size, and it stays at chance just like the ReLU network (their accuracy lines lie "
        "together): the units are asleep rather than dead, and 40 epochs do not wake them.");
    page.figures({dead.svg(), accuracy.svg()});
    page.table({"setting", "dead after epoch 1", "dead at the end", "training accuracy at the end"}, rows);
    return page;
}

}  // namespace mlp::lessons
