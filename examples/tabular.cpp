// scikit-learn's bundled tables (installed into the data directory on first
// use): for each seed a stratified 80/20 split, inputs standardized inside the
// model (a Normalization layer fitted on the training part), then the recipe
// of scikit-learn's MLPClassifier defaults, the same for every table: one
// hidden layer of 100 ReLU units, Adam 1e-3, batch min(200, N), L2 1e-4,
// training until the training loss has not improved by 1e-4 for 10 epochs.
// MLPClassifier also stops at 200 epochs (max_iter) and warns that it has not
// converged when it gets there, as it does on iris; here the cap is 2,000, so
// that the loss criterion ends every run.
//
//   example_tabular NAME [seeds... (0 1 2 3 4)]
// NAME: digits (bar 0.97), breast-cancer (bar 0.96), iris (bar 0.93), wine (no
// bar). Prints each seed's test accuracy and the mean; exits 1 when the mean is
// below the bar.
#include <mlp/mlp.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

int main(int argc, char** argv) {
    const std::map<std::string, double> bars = {{"digits", 0.97}, {"breast-cancer", 0.96}, {"iris", 0.93}, {"wine", 0}};
    const auto bar = argc > 1 ? bars.find(argv[1]) : bars.end();
    if (bar == bars.end()) {
        std::fprintf(stderr, "usage: example_tabular digits|breast-cancer|iris|wine [seeds...]\n");
        return 2;
    }
    const std::string name = bar->first;
    std::vector<std::uint64_t> seeds;
    for (int i = 2; i < argc; ++i) seeds.push_back(std::strtoull(argv[i], nullptr, 10));
    if (seeds.empty()) seeds = {0, 1, 2, 3, 4};
    try {
        mlp::data::install_dataset(name);
        const mlp::data::Dataset all = mlp::data::load_named(name, "all");
        double sum = 0;
        for (const std::uint64_t seed : seeds) {
            const auto [train, test] = mlp::data::train_test_split(all, 0.2, seed, {.stratify = true});
            mlp::Normalization standardize("standardize");
            standardize.adapt(train.x);
            mlp::Sequential model(all.features(),
                                  {standardize, mlp::Dense(100, "relu", {.kernel_regularizer = mlp::l2(1e-4)}),
                                   mlp::Dense(all.classes, "softmax")},
                                  {.seed = seed});
            model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy", {"accuracy"});
            const auto history =
                model.fit(train.x, train.y,
                          {.epochs = 2000,
                           .batch_size = std::min<std::int64_t>(200, train.size()),
                           .verbose = 0,
                           .callbacks = {mlp::EarlyStopping{.monitor = "loss", .min_delta = 1e-4, .patience = 10}}});
            const double accuracy = model.evaluate(test.x, test.y)["accuracy"];
            std::printf(
                "%s seed %llu: %lld train / %lld test, %zu epochs to a training loss of %.4f, test accuracy %.4f\n",
                name.c_str(), static_cast<unsigned long long>(seed), static_cast<long long>(train.size()),
                static_cast<long long>(test.size()), history.epochs(), history["loss"].back(), accuracy);
            sum += accuracy;
        }
        const double mean = sum / static_cast<double>(seeds.size());
        std::printf("%s: mean test accuracy %.4f over %zu seeds (bar %.2f)\n", name.c_str(), mean, seeds.size(),
                    bar->second);
        return mean >= bar->second ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
}
