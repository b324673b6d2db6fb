// The running metrics on small hand-worked cases: top-k, RMSE, R², and names.
#include <gtest/gtest.h>

#include <cmath>

#include "mlp/core/error.hpp"
#include "mlp/metrics/metric.hpp"

namespace mlp {

namespace {
double run(const std::string& name, const Loss& loss, const Tensor& pred, const Tensor& target) {
    auto m = Metric::make(name, loss);
    m->reset();
    const std::int64_t half = pred.rows() / 2;
    m->update(pred.rows(0, half), target.rows(0, half));
    m->update(pred.rows(half, pred.rows() - half), target.rows(half, target.rows() - half));
    return m->result();
}
}  // namespace

TEST(Metrics, TopKAccuracy) {
    // true classes 2, 0, 1, 3; their ranks 1st, 3rd, 2nd, 4th
    const Tensor pred = Tensor::from(Shape{4, 4}, std::vector<float>{0.1f, 0.2f, 0.6f, 0.1f,  //
                                                                     0.2f, 0.5f, 0.1f, 0.3f,  //
                                                                     0.5f, 0.3f, 0.1f, 0.1f,  //
                                                                     0.4f, 0.3f, 0.2f, 0.1f});
    const Tensor y = Tensor::from(Shape{4}, std::vector<float>{2, 0, 1, 3});
    const Loss loss("sparse_categorical_crossentropy");
    EXPECT_DOUBLE_EQ(run("accuracy", loss, pred, y), 0.25);
    EXPECT_DOUBLE_EQ(run("top_k_accuracy:2", loss, pred, y), 0.5);
    EXPECT_DOUBLE_EQ(run("top_k_accuracy:3", loss, pred, y), 0.75);
    EXPECT_DOUBLE_EQ(run("sparse_top_k_categorical_accuracy", loss, pred, y), 1.0);
}

TEST(Metrics, RmseAndR2) {
    const Tensor y = Tensor::from(Shape{4, 2}, std::vector<double>{1, 10, 2, 20, 3, 30, 4, 40});
    const Tensor pred = Tensor::from(Shape{4, 2}, std::vector<double>{1.5, 10, 2, 22, 2.5, 30, 4, 38});
    const Loss mse("mse");
    // squared errors: 0.25, 0, 0, 4, 0.25, 0, 0, 4 -> mean 1.0625
    EXPECT_NEAR(run("rmse", mse, pred, y), std::sqrt(1.0625), 1e-12);
    // column 0: SS_res 0.5, SS_tot 5 -> 0.9; column 1: SS_res 8, SS_tot 500 -> 0.984
    EXPECT_NEAR(run("r2", mse, pred, y), (0.9 + 0.984) / 2, 1e-12);
}

TEST(Metrics, RunningStateCarriesOverToAFreshMetric) {
    // What a checkpoint does with an interrupted epoch: the state after the
    // first batch, restored into a new metric, then the second batch.
    const Tensor scores = Tensor::from(Shape{6, 3}, std::vector<float>{0.7f, 0.2f, 0.1f, 0.1f, 0.8f, 0.1f,  //
                                                                       0.3f, 0.3f, 0.4f, 0.5f, 0.4f, 0.1f,  //
                                                                       0.2f, 0.2f, 0.6f, 0.1f, 0.6f, 0.3f});
    const Tensor ids = Tensor::from(Shape{6}, std::vector<float>{0, 1, 2, 1, 2, 1});
    const Tensor values = Tensor::from(Shape{6, 3}, std::vector<float>{1, 0, 0, 0, 1, 1, 0.5f, 0, 1, 1, 1, 0, 0, 0, 1,
                                                                       0, 1, 0});
    const Loss sparse("sparse_categorical_crossentropy"), mse("mse");
    struct Case {
        const char* name;
        const Loss& loss;
        const Tensor& target;
    };
    for (const Case& c : {Case{"accuracy", sparse, ids}, Case{"top_k_accuracy:2", sparse, ids},
                          Case{"precision", sparse, ids}, Case{"f1", sparse, ids}, Case{"auc", sparse, ids},
                          Case{"mae", mse, values}, Case{"rmse", mse, values}, Case{"r2", mse, values}}) {
        const double whole = run(c.name, c.loss, scores, c.target);
        auto first = Metric::make(c.name, c.loss);
        first->update(scores.rows(0, 3), c.target.rows(0, 3));
        auto resumed = Metric::make(c.name, c.loss);
        resumed->restore(first->state());
        resumed->update(scores.rows(3, 3), c.target.rows(3, 3));
        EXPECT_EQ(resumed->result(), whole) << c.name;
        EXPECT_THROW(resumed->restore({1, 2, 3, 4, 5, 6, 7, 8}), DataError) << c.name;
    }
}

TEST(Metrics, UnknownNamesListTheKnownOnes) {
    try {
        Metric::make("accuracyy", Loss("mse"));
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("precision, recall, f1, auc"), std::string::npos) << e.what();
    }
    EXPECT_THROW(Metric::make("top_k_accuracy:0", Loss("sparse_categorical_crossentropy")), ConfigError);
    EXPECT_THROW(Metric::make("accuracy", Loss("mse")), ConfigError);
}

}  // namespace mlp
