// Train/test split.
#include <numeric>
#include <vector>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/random.hpp"
#include "mlp/data/dataset.hpp"

namespace mlp::data {

std::pair<Dataset, Dataset> train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed,
                                             bool shuffle) {
    if (!(test_fraction > 0 && test_fraction < 1))
        throw ConfigError("train_test_split: test_fraction must be in (0, 1), got " + std::to_string(test_fraction));
    const std::int64_t n = data.size();
    const auto n_test = static_cast<std::int64_t>(std::llround(static_cast<double>(n) * test_fraction));
    if (n_test < 1 || n_test >= n)
        throw DataError("train_test_split: " + std::to_string(n) + " samples cannot give " +
                        std::to_string(n_test) + " test samples and some to train on");
    std::vector<std::int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    if (shuffle) {
        Random rng(seed);
        for (std::int64_t i = n - 1; i > 0; --i)
            std::swap(order[static_cast<std::size_t>(i)], order[rng.below(static_cast<std::uint64_t>(i + 1))]);
    }
    auto take = [&](std::int64_t first, std::int64_t count) {
        Dataset part;
        part.classes = data.classes;
        part.class_names = data.class_names;
        part.x = Tensor(Shape{count, data.x.cols()}, data.x.dtype());
        part.y = Tensor(data.y.shape().with_rows(count), data.y.dtype());
        const std::span<const std::int64_t> rows(order.data() + first, static_cast<std::size_t>(count));
        backend::gather_rows(data.x, rows, part.x);
        backend::gather_rows(data.y, rows, part.y);
        return part;
    };
    return {take(0, n - n_test), take(n - n_test, n_test)};
}

}  // namespace mlp::data
