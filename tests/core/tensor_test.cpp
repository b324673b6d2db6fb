#include "mlp/core/tensor.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "mlp/core/error.hpp"
#include "mlp/core/random.hpp"

namespace mlp {

TEST(Tensor, NewTensorsAreZeroedAndAligned) {
    Tensor t(Shape{3, 5}, DType::f64);
    EXPECT_EQ(t.rows(), 3);
    EXPECT_EQ(t.cols(), 5);
    EXPECT_EQ(t.numel(), 15);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.view().raw()) % 64, 0u);
    for (double v : t.values<double>()) EXPECT_EQ(v, 0.0);
}

TEST(Tensor, LargeTensorsStartOnAHugePageBoundaryAndAreZeroed) {
    // 4 MB and more: aligned to 2 MB so that the kernel can back them with huge pages.
    Tensor t(Shape{1024, 1025}, DType::f32);
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(t.view().raw()) % (std::uintptr_t{2} << 20), 0u);
    const auto values = t.values<float>();
    EXPECT_TRUE(std::all_of(values.begin(), values.end(), [](float v) { return v == 0.0f; }));
}

TEST(Tensor, EmptyTensorHasNoElements) {
    Tensor t;
    EXPECT_TRUE(t.empty());
    EXPECT_EQ(t.numel(), 0);
    Tensor copy = t;  // copying an empty tensor is fine
    EXPECT_TRUE(copy.empty());
}

TEST(Tensor, CopiesAreDeep) {
    Tensor a = Tensor::from<float>(Shape{2, 2}, {1, 2, 3, 4});
    Tensor b = a;
    b.data<float>()[0] = 9;
    EXPECT_EQ(a.item(0), 1);
    EXPECT_EQ(b.item(0), 9);
}

TEST(Tensor, RowViewsShareMemory) {
    Tensor a = Tensor::from<float>(Shape{3, 2}, {1, 2, 3, 4, 5, 6});
    TensorView middle = a.rows(1, 1);
    EXPECT_EQ(middle.shape(), (Shape{1, 2}));
    middle.data<float>()[1] = 40;
    EXPECT_EQ(a.item(3), 40);
    EXPECT_THROW(a.rows(2, 2), ShapeError);
}

TEST(Tensor, ResizeReusesStorageWhenSmaller) {
    Tensor t(Shape{100, 10});
    const void* before = t.view().raw();
    t.resize(Shape{50, 10});
    EXPECT_EQ(t.view().raw(), before);
    EXPECT_EQ(t.capacity(), 1000);
    t.resize(Shape{200, 10});
    EXPECT_EQ(t.capacity(), 2000);
}

TEST(Tensor, WrongDtypeAccessThrows) {
    Tensor t(Shape{2}, DType::f32);
    EXPECT_THROW(t.data<double>(), ConfigError);
    EXPECT_EQ(t.to(DType::f64).dtype(), DType::f64);
}

TEST(Tensor, FromChecksTheCount) {
    try {
        Tensor::from<float>(Shape{2, 3}, {1, 2, 3});
        FAIL() << "expected ShapeError";
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("(2, 3) needs 6 values, got 3"), std::string::npos) << e.what();
    }
}

TEST(Random, SameSeedSameNumbers) {
    Random a(42), b(42), c(43);
    for (int i = 0; i < 10; ++i) {
        const double x = a.normal();
        EXPECT_EQ(x, b.normal());
        EXPECT_NE(x, c.normal());
    }
}

TEST(Random, NormalHasUnitVariance) {
    Random rng(1);
    double sum = 0, sum2 = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        const double x = rng.normal();
        sum += x;
        sum2 += x * x;
    }
    EXPECT_NEAR(sum / n, 0.0, 0.01);
    EXPECT_NEAR(sum2 / n, 1.0, 0.01);
}

}  // namespace mlp
