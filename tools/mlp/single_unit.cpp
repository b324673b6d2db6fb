#include "single_unit.hpp"

#include <cstdio>
#include <memory>

#include "inputs.hpp"
#include "mlp/mlp.hpp"
#include "run_dir.hpp"
#include "validators.hpp"

namespace mlp::cli {

namespace {

struct UnitArgs {
    std::string data = "and";
    std::string label;
    char delimiter = ',';
    double test_split = 0.2;
    std::string normalize;
    double lr = 0;  // 0: the unit's own default
    int epochs = 0;
    double threshold = 0.5;
    bool no_shuffle = false;
    std::uint64_t seed = 0;
    std::string out;
};

/// Training and test data of two classes, labels 0 and 1, scaled as asked (fitted on the training part).
std::pair<data::Dataset, data::Dataset> two_class_data(const UnitArgs& a) {
    auto [train, test] = load_train_test(a.data, {.delimiter = a.delimiter, .label = a.label, .task = "classification"},
                                         a.test_split, a.seed);
    if (train.classes != 2)
        throw ConfigError("a single unit separates two classes; '" + a.data + "' has " + std::to_string(train.classes) +
                          (train.classes == 0 ? " (a regression target)" : ""));
    if (!a.normalize.empty()) {
        std::unique_ptr<data::Scaler> scaler;
        if (a.normalize == "standardize")
            scaler = std::make_unique<data::Standardizer>();
        else
            scaler = std::make_unique<data::MinMaxScaler>();
        train.x = scaler->fit_transform(train.x.view());
        test.x = scaler->transform(test.x.view());
    }
    return {std::move(train), std::move(test)};
}

/// The learning curve, and the decision line over the points for 2-D data, on one page.
void write_page(const UnitArgs& a, const std::string& title, const std::string& curve_name,
                const std::vector<double>& curve, const report::Predictor& predict, const data::Dataset& train,
                const std::string& summary) {
    report::LineChart chart(
        {.id = "unit-learning-curve", .title = curve_name, .x_label = "epoch", .y_label = curve_name});
    chart.add({.name = curve_name, .y = curve});
    std::vector<std::string> figures{chart.svg()};
    if (train.x.cols() == 2)
        figures.push_back(report::decision_boundary(
            predict, 0.5, train.x.view(), train.y.view(),
            {.title = "decision line on the training data", .class_names = train.class_names}));
    report::HtmlPage page(title);
    page.paragraph(summary);
    page.figures(figures);
    create_parent_directories(a.out);
    page.save(a.out);
    std::printf("wrote %s\n", a.out.c_str());
}

void run_perceptron(const UnitArgs& a) {
    const auto [train, test] = two_class_data(a);
    Perceptron unit(train.x.cols(), {.lr = a.lr > 0 ? a.lr : 1.0,
                                     .epochs = a.epochs > 0 ? a.epochs : 20,
                                     .shuffle = !a.no_shuffle,
                                     .seed = a.seed});
    const std::vector<std::int64_t> mistakes = unit.fit(train.x.view(), train.y.view());
    std::vector<double> curve(mistakes.begin(), mistakes.end());
    for (std::size_t e = 0; e < mistakes.size(); ++e)
        std::printf("epoch %zu: %lld mistake%s\n", e + 1, static_cast<long long>(mistakes[e]),
                    mistakes[e] == 1 ? "" : "s");
    const bool separated = mistakes.back() == 0;
    char summary[256];
    std::snprintf(summary, sizeof summary, "%s after %zu epochs; training accuracy %.4f, test accuracy %.4f",
                  separated ? "converged: no mistake in the last epoch" : "not converged: still making mistakes",
                  mistakes.size(), unit.score(train.x.view(), train.y.view()),
                  unit.score(test.x.view(), test.y.view()));
    std::printf("%s\n", summary);
    if (!a.out.empty())
        write_page(
            a, "Perceptron: " + a.data, "mistakes per epoch", curve,
            [&unit](const TensorView& x) { return unit.predict(x); }, train,
            std::string(summary) +
                ". The perceptron rule changes the weights only on a mistake; it stops "
                "after an epoch without one, which happens only when a line (a "
                "hyperplane) separates the classes.");
}

void run_adaline(const UnitArgs& a) {
    const auto [train, test] = two_class_data(a);
    Adaline unit(train.x.cols(),
                 {.lr = a.lr > 0 ? a.lr : 0.01, .epochs = a.epochs > 0 ? a.epochs : 50, .threshold = a.threshold});
    const std::vector<double> cost = unit.fit(train.x.view(), train.y.view());
    for (std::size_t e = 0; e < cost.size(); ++e) std::printf("epoch %zu: mse %.6g\n", e + 1, cost[e]);
    char summary[256];
    std::snprintf(summary, sizeof summary,
                  "MSE %.4g -> %.4g over %zu epochs; training accuracy %.4f, test accuracy %.4f", cost.front(),
                  cost.back(), cost.size(), unit.score(train.x.view(), train.y.view()),
                  unit.score(test.x.view(), test.y.view()));
    std::printf("%s\n", summary);
    if (!a.out.empty())
        write_page(
            a, "Adaline: " + a.data, "mean squared error", cost,
            [&unit](const TensorView& x) { return unit.predict(x); }, train,
            std::string(summary) +
                ". Adaline descends the squared error of its linear output, so it "
                "settles on the least-squares line even where no line separates the "
                "classes; the threshold turns that line into a decision.");
}

CLI::App* add_unit_command(CLI::App& app, const char* name, const char* description, std::shared_ptr<UnitArgs> args) {
    auto* cmd = app.add_subcommand(name, description);
    cmd->add_option("--data", args->data,
                    "A 2-class data set: and, or, xor, moons, circles, breast-cancer, ... or a CSV file")
        ->capture_default_str();
    cmd->add_option("--label", args->label, "The label column of a CSV file (default: the last column)");
    cmd->add_option("--delimiter", args->delimiter, "The field separator of a CSV file")->capture_default_str();
    cmd->add_option("--test-split", args->test_split, "Fraction of a CSV file held out for testing")
        ->capture_default_str();
    cmd->add_option("--normalize", args->normalize, "Scale the inputs, fitted on the training data")
        ->check(CLI::IsMember({"standardize", "minmax"}));
    cmd->add_option("--epochs", args->epochs, "Epochs (at most, for the perceptron)")->check(positive());
    cmd->add_option("--seed", args->seed, "Seed for the sample order and the test split")->capture_default_str();
    cmd->add_option("--out,-o", args->out, "Write an HTML page: the learning curve and, for 2-D data, the line");
    return cmd;
}

}  // namespace

void add_single_unit_commands(CLI::App& app) {
    auto perceptron_args = std::make_shared<UnitArgs>();
    auto* perceptron = add_unit_command(
        app, "perceptron", "Train Rosenblatt's perceptron (one step unit, the perceptron rule) on a 2-class data set",
        perceptron_args);
    perceptron->add_option("--lr", perceptron_args->lr, "Learning rate (default 1)")->check(positive());
    perceptron->add_flag("--no-shuffle", perceptron_args->no_shuffle, "Visit the samples in their order every epoch");
    perceptron->footer(
        "Example:\n  mlp perceptron --data and --epochs 10\n  mlp perceptron --data xor --out xor.html   "
        "# never converges: no line separates XOR");
    perceptron->callback([perceptron_args] { run_perceptron(*perceptron_args); });

    auto adaline_args = std::make_shared<UnitArgs>();
    auto* adaline = add_unit_command(
        app, "adaline", "Train Adaline (one linear unit, squared error, gradient descent) on a 2-class data set",
        adaline_args);
    adaline->add_option("--lr", adaline_args->lr, "Learning rate (default 0.01)")->check(positive());
    adaline->add_option("--threshold", adaline_args->threshold, "Predict class 1 where the output is at least this")
        ->capture_default_str();
    adaline->footer(
        "Example:\n  mlp adaline --data and --lr 0.1 --epochs 200\n"
        "  mlp adaline --data breast-cancer --normalize standardize --out adaline.html");
    adaline->callback([adaline_args] { run_adaline(*adaline_args); });
}

}  // namespace mlp::cli
