// Scalers fitted on training data, the Normalization layer (gradient-checked,
// and equal to the scaler it wraps), one-hot, stratified splits and the
// synthetic generators.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "../test_util.hpp"
#include "mlp/mlp.hpp"

namespace mlp::data {

TEST(Scalers, StandardizeAndMinMaxMatchTheirDefinitions) {
    const Tensor x = Tensor::from<double>(Shape{4, 2}, {1, 5, 2, 5, 3, 5, 6, 5});
    Standardizer standard;
    const Tensor s = standard.fit_transform(x);
    EXPECT_DOUBLE_EQ(standard.mean().item(0), 3.0);
    EXPECT_DOUBLE_EQ(standard.scale().item(0), std::sqrt(3.5));  // population std
    EXPECT_DOUBLE_EQ(standard.scale().item(1), 1.0);             // constant feature
    EXPECT_DOUBLE_EQ(s.item(0), -2 / std::sqrt(3.5));
    MinMaxScaler minmax;
    const Tensor m = minmax.fit_transform(x);
    EXPECT_DOUBLE_EQ(m.item(0), 0.0);
    EXPECT_DOUBLE_EQ(m.item(6), 1.0);
    EXPECT_DOUBLE_EQ(m.item(2), 0.2);
    EXPECT_TRUE(test::bit_identical(minmax.inverse_transform(m), x));
    EXPECT_THROW(MinMaxScaler().transform(x), ConfigError);
    EXPECT_THROW(minmax.transform(Tensor(Shape{2, 3}, DType::f64)), ShapeError);
}

TEST(NormalizationLayer, AppliesTheFittedScalingInsideTheModel) {
    const Tensor x = test::random_tensor(40, 3, 1, -5, 9);
    for (const char* method : {"standardize", "minmax"}) {
        Normalization norm(method);
        norm.adapt(x);
        Sequential model(3, {norm}, {.dtype = DType::f64});
        std::unique_ptr<Scaler> scaler;
        if (std::string(method) == "minmax")
            scaler = std::make_unique<MinMaxScaler>();
        else
            scaler = std::make_unique<Standardizer>();
        EXPECT_LT(test::relative_error(model.predict(x), scaler->fit_transform(x)), 1e-15) << method;
        EXPECT_EQ(model.weight_names()[0], "normalization_1.center");
    }
    EXPECT_THROW(Normalization("zscore"), ConfigError);
}

TEST(NormalizationLayer, PassesAGradientCheck) {
    Normalization norm;
    norm.adapt(test::random_tensor(20, 4, 2, -3, 3));
    Sequential model(4, {norm, Dense(3, "tanh"), Dense(2, "softmax")}, {.seed = 1, .dtype = DType::f64});
    model.compile("sgd", "sparse_categorical_crossentropy");
    const auto report = check::gradients(model, test::random_tensor(6, 4, 3), test::class_ids(6, 2));
    EXPECT_TRUE(report.passed()) << report.str();
    const auto layer = check::gradients(norm, test::random_tensor(5, 4, 4));
    EXPECT_TRUE(layer.passed()) << layer.str();
}

TEST(OneHot, EncodesIdsAndRejectsOthers) {
    const Tensor y = one_hot(Tensor::from<float>(Shape{3}, {2, 0, 1}), 3);
    EXPECT_EQ(y.shape(), (Shape{3, 3}));
    EXPECT_EQ(y.item(2), 1.0f);
    EXPECT_EQ(y.item(3), 1.0f);
    EXPECT_EQ(y.item(0) + y.item(1), 0.0f);
    EXPECT_THROW(one_hot(Tensor::from<float>(Shape{1}, {3}), 3), DataError);
    EXPECT_THROW(one_hot(Tensor::from<float>(Shape{1}, {0.5f}), 3), DataError);
}

TEST(Split, StratifiedKeepsEachClassShare) {
    Dataset d;
    d.x = test::random_tensor(100, 2, 5, -1, 1, DType::f32);
    d.y = Tensor(Shape{100});
    for (std::int64_t i = 0; i < 100; ++i) d.y.data<float>()[i] = i < 70 ? 0.0f : (i < 90 ? 1.0f : 2.0f);
    d.classes = 3;
    const auto [train, test] = train_test_split(d, 0.2, 7, {.stratify = true});
    EXPECT_EQ(train.size(), 80);
    EXPECT_EQ(test.size(), 20);
    std::map<int, int> counts;
    for (std::int64_t i = 0; i < test.size(); ++i) ++counts[static_cast<int>(test.y.item(i))];
    EXPECT_EQ(counts[0], 14);
    EXPECT_EQ(counts[1], 4);
    EXPECT_EQ(counts[2], 2);
    // rows travel with their labels
    for (std::int64_t i = 0; i < test.size(); ++i) {
        bool found = false;
        for (std::int64_t j = 0; j < 100 && !found; ++j)
            found = d.x.item(2 * j) == test.x.item(2 * i) && d.y.item(j) == test.y.item(i);
        EXPECT_TRUE(found);
    }
    const auto three = train_validation_test_split(d, 0.1, 0.2, 1, {.stratify = true});
    EXPECT_EQ(three.train.size() + three.validation.size() + three.test.size(), 100);
    EXPECT_EQ(three.validation.size(), 10);
    EXPECT_EQ(shuffled(d, 3).size(), 100);
}

TEST(Generators, AreSeededAndShaped) {
    EXPECT_TRUE(test::bit_identical(spirals(300, 3, 0.2, 1).x, spirals(300, 3, 0.2, 1).x));
    EXPECT_FALSE(test::bit_identical(spirals(300, 3, 0.2, 1).x, spirals(300, 3, 0.2, 2).x));
    const Dataset s = spirals(300, 4, 0.0, 1);
    EXPECT_EQ(s.classes, 4);
    const Dataset c = circles(400, 0.0, 1, 0.3);
    for (std::int64_t i = 0; i < c.size(); ++i) {
        const double r = std::hypot(c.x.item(2 * i), c.x.item(2 * i + 1));
        EXPECT_NEAR(r, c.y.item(i) == 0 ? 1.0 : 0.3, 1e-6);
    }
    const Dataset b = blobs(300, 3, 4, 5, 0.5);
    EXPECT_EQ(b.x.shape(), (Shape{300, 5}));
    const Dataset sin = sine(200, 0.0, 3);
    for (std::int64_t i = 0; i < sin.size(); ++i) EXPECT_NEAR(sin.y.item(i), std::sin(sin.x.item(i)), 1e-6);
    const Dataset p = polynomial(50, {1, 0, -2}, 0.0, 3);  // 1 - 2x²
    EXPECT_NEAR(p.y.item(0), 1 - 2 * p.x.item(0) * p.x.item(0), 1e-6);
    EXPECT_THROW(spirals(10, 1, 0.1, 0), ConfigError);
    EXPECT_THROW(circles(10, -1, 0), ConfigError);
}

TEST(Generators, XorQuadrantsLabelsBySignOfTheProduct) {
    const Dataset x = xor_quadrants(400, 0.0, 5);
    ASSERT_EQ(x.x.shape(), (Shape{400, 2}));
    std::int64_t ones = 0;
    for (std::int64_t i = 0; i < x.size(); ++i) {
        const double a = x.x.item(2 * i), b = x.x.item(2 * i + 1);
        EXPECT_LE(std::abs(a), 1.0);
        EXPECT_EQ(x.y.item(i), a * b > 0 ? 1.0 : 0.0) << "row " << i;
        ones += x.y.item(i) == 1 ? 1 : 0;
    }
    EXPECT_GT(ones, 150);  // about half in each class
    EXPECT_LT(ones, 250);
    EXPECT_FALSE(test::bit_identical(xor_quadrants(50, 0.1, 1).x, xor_quadrants(50, 0.1, 2).x));
    EXPECT_THROW(xor_quadrants(10, -0.1, 0), ConfigError);
}

TEST(Generators, LogicGatesHoldTheirTruthTablesAndAreNamedDataSets) {
    // Rows (0,0), (0,1), (1,0), (1,1).
    const std::vector<std::pair<std::string, std::vector<double>>> tables{
        {"and", {0, 0, 0, 1}}, {"or", {0, 1, 1, 1}}, {"xor", {0, 1, 1, 0}}};
    for (const auto& [name, truth] : tables) {
        const Dataset gate = logic_gate(name), named = load_named(name, "train");
        ASSERT_EQ(gate.x.shape(), (Shape{4, 2})) << name;
        for (std::int64_t i = 0; i < 4; ++i) {
            EXPECT_EQ(gate.x.item(2 * i), static_cast<double>(i / 2)) << name;
            EXPECT_EQ(gate.x.item(2 * i + 1), static_cast<double>(i % 2)) << name;
            EXPECT_EQ(gate.y.item(i), truth[static_cast<std::size_t>(i)]) << name << ", row " << i;
        }
        EXPECT_TRUE(test::bit_identical(named.y, gate.y)) << name;
        EXPECT_TRUE(test::bit_identical(load_named(name, "test").x, gate.x)) << name;
    }
    EXPECT_TRUE(test::bit_identical(xor_gate().y, logic_gate("xor").y));
    EXPECT_THROW(logic_gate("nor"), ConfigError);
}

}  // namespace mlp::data
