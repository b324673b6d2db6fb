// Shuffles and splits: a permutation of the rows is chosen, then rows are
// gathered into new data sets.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <vector>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/random.hpp"
#include "mlp/data/preprocessing.hpp"

namespace mlp::data {

namespace {

void shuffle(std::vector<std::int64_t>& order, Random& rng) {
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
}

Dataset take(const Dataset& data, std::span<const std::int64_t> rows) {
    Dataset part = data.description();
    const auto count = static_cast<std::int64_t>(rows.size());
    part.x = Tensor(Shape{count, data.x.cols()}, data.x.dtype());
    backend::gather_rows(data.x, rows, part.x);
    if (!data.y.empty()) {
        part.y = Tensor(data.y.shape().with_rows(count), data.y.dtype());
        const TensorView y =
            data.y.view().shape().rank() == 1 ? data.y.view().reshaped(Shape{data.y.rows(), 1}) : data.y.view();
        backend::gather_rows(y, rows, part.y.view().reshaped(y.shape().with_rows(count)));
    }
    return part;
}

/// Test rows per class by largest remainder, so the total is exactly n_test.
std::vector<std::int64_t> stratified_test_rows(const Dataset& data, std::int64_t n_test, Random& rng) {
    const std::int64_t n = data.size();
    if (data.y.empty() || data.y.view().shape().rank() != 1)
        throw DataError("stratified split: needs class ids y (N), got y " + data.y.shape().str());
    std::map<std::int64_t, std::vector<std::int64_t>> by_class;
    for (std::int64_t i = 0; i < n; ++i) {
        const double c = data.y.item(i);
        if (c != std::floor(c)) throw DataError("stratified split: y[" + std::to_string(i) + "] is not a class id");
        by_class[static_cast<std::int64_t>(c)].push_back(i);
    }
    std::vector<std::pair<double, std::int64_t>> remainders;  // (fraction lost to rounding down, class)
    std::map<std::int64_t, std::int64_t> quota;
    std::int64_t given = 0;
    for (auto& [c, rows] : by_class) {
        shuffle(rows, rng);
        const double exact = static_cast<double>(rows.size()) * static_cast<double>(n_test) / static_cast<double>(n);
        quota[c] = static_cast<std::int64_t>(std::floor(exact));
        given += quota[c];
        remainders.emplace_back(exact - std::floor(exact), c);
    }
    std::stable_sort(remainders.begin(), remainders.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t i = 0; given < n_test && i < remainders.size(); ++i, ++given) ++quota[remainders[i].second];
    std::vector<std::int64_t> test;
    for (const auto& [c, rows] : by_class) test.insert(test.end(), rows.begin(), rows.begin() + quota[c]);
    return test;
}

}  // namespace

Tensor one_hot(const TensorView& ids, std::int64_t classes) {
    if (classes < 1) throw ConfigError("one_hot: classes must be >= 1, got " + std::to_string(classes));
    const std::int64_t n = ids.numel();
    Tensor out(Shape{n, classes});
    backend::fill(out, 0.0);
    for (std::int64_t i = 0; i < n; ++i) {
        const double c = ids.item(i);
        if (!(c >= 0 && c < static_cast<double>(classes)) || c != std::floor(c))
            throw DataError("one_hot: row " + std::to_string(i) + " has class " + std::to_string(c) +
                            ", expected an integer in [0, " + std::to_string(classes) + ")");
        out.data<float>()[i * classes + static_cast<std::int64_t>(c)] = 1.0f;
    }
    return out;
}

Dataset shuffled(const Dataset& data, std::uint64_t seed) {
    std::vector<std::int64_t> order(static_cast<std::size_t>(data.size()));
    std::iota(order.begin(), order.end(), 0);
    Random rng(seed);
    shuffle(order, rng);
    return take(data, order);
}

std::pair<Dataset, Dataset> train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed,
                                             SplitOptions options) {
    if (!(test_fraction > 0 && test_fraction < 1))
        throw ConfigError("train_test_split: test_fraction must be in (0, 1), got " + std::to_string(test_fraction));
    if (options.stratify && !options.shuffle)
        throw ConfigError("train_test_split: a stratified split shuffles; shuffle = false does not go with it");
    const std::int64_t n = data.size();
    const auto n_test = static_cast<std::int64_t>(std::llround(static_cast<double>(n) * test_fraction));
    if (n_test < 1 || n_test >= n)
        throw DataError("train_test_split: " + std::to_string(n) + " samples cannot give " + std::to_string(n_test) +
                        " test samples and some to train on");
    Random rng(seed);
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    if (options.stratify) {
        std::vector<std::int64_t> test = stratified_test_rows(data, n_test, rng);
        std::vector<bool> in_test(static_cast<std::size_t>(n), false);
        for (const auto i : test) in_test[static_cast<std::size_t>(i)] = true;
        std::vector<std::int64_t> train;
        for (std::int64_t i = 0; i < n; ++i)
            if (!in_test[static_cast<std::size_t>(i)]) train.push_back(i);
        shuffle(train, rng);
        shuffle(test, rng);
        return {take(data, train), take(data, test)};
    }
    if (options.shuffle) shuffle(order, rng);
    const std::span<const std::int64_t> all(order);
    return {take(data, all.first(static_cast<std::size_t>(n - n_test))),
            take(data, all.last(static_cast<std::size_t>(n_test)))};
}

ThreeWaySplit train_validation_test_split(const Dataset& data, double validation_fraction, double test_fraction,
                                          std::uint64_t seed, SplitOptions options) {
    if (!(validation_fraction > 0 && test_fraction > 0 && validation_fraction + test_fraction < 1))
        throw ConfigError("train_validation_test_split: fractions must be > 0 and sum to less than 1, got " +
                          std::to_string(validation_fraction) + " and " + std::to_string(test_fraction));
    auto [rest, test] = train_test_split(data, test_fraction, seed, options);
    auto [train, validation] =
        train_test_split(rest, validation_fraction / (1 - test_fraction), seed + 0x9E3779B97F4A7C15ULL, options);
    return {std::move(train), std::move(validation), std::move(test)};
}

}  // namespace mlp::data
