// The playground's session (web/playground/session.cpp), natively: what the
// page relies on. Training by steps and epochs equals one fit(); the grids
// are the model's own outputs; the exported file loads back; wrong settings
// are refused with a message that names them.
#include <gtest/gtest.h>

#include <string>

#include "mlp/mlp.hpp"
#include "session.hpp"
#include "test_util.hpp"

namespace mlp::playground {
namespace {

using nlohmann::json;

json moons(int points = 200) {
    return {{"data", {{"name", "moons"}, {"points", points}, {"noise", 0.2}, {"test_fraction", 0.5}}},
            {"layers", json::array({{{"units", 8}, {"activation", "tanh"}}, {{"units", 4}, {"activation", "relu"}}})},
            {"optimizer", "adam"},
            {"lr", 0.01},
            {"batch_size", 10}};
}

std::string refusal(const json& settings) {
    try {
        Session s(settings);
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "(accepted)";
}

TEST(PlaygroundSession, EpochsOneByOneAndBatchByBatchEqualOneFit) {
    Session whole(moons()), by_epoch(moons()), by_batch(moons());
    whole.train_epochs(3);
    for (int i = 0; i < 3; ++i) by_epoch.train_epochs(1);
    const std::int64_t batches = by_batch.layout()["batches_per_epoch"];
    EXPECT_EQ(batches, 10);  // 100 training points in batches of 10
    for (std::int64_t i = 0; i < 3 * batches - 5; ++i) by_batch.train_batches();
    by_batch.train_batches(5);
    by_batch.train_epochs(0);
    EXPECT_EQ(whole.weights(), by_epoch.weights());
    EXPECT_EQ(whole.weights(), by_batch.weights());
    EXPECT_EQ(by_batch.progress()["step"], 3 * batches);
    // The third epoch closes with the next step, which begins the fourth.
    EXPECT_EQ(by_batch.progress()["epoch"], 2);
    by_batch.train_batches();
    EXPECT_EQ(by_batch.progress()["epoch"], 3);
    EXPECT_EQ(by_batch.progress()["batch"], 1);
    EXPECT_EQ(whole.progress()["test_loss"], by_epoch.progress()["test_loss"]);
}

TEST(PlaygroundSession, ProgressHasAFigurePerLayerPerEpochAndLearnsMoons) {
    Session s(moons(400));
    s.train_epochs(40);
    const json p = s.progress();
    EXPECT_EQ(p["epoch"], 40);
    ASSERT_EQ(p["gradient_norm"].size(), 3);  // two hidden layers and the output
    for (const json& layer : p["gradient_norm"]) EXPECT_EQ(layer.size(), 40);
    for (const json& layer : p["dead_fraction"]) EXPECT_EQ(layer.size(), 40);
    EXPECT_LT(p["test_loss"].back().get<double>(), 0.2);
    EXPECT_GT(p["test_accuracy"].back().get<double>(), 0.9);
    const json later = s.progress(38);
    EXPECT_EQ(later["train_loss"].size(), 2);
    EXPECT_EQ(later["gradient_norm"][0].size(), 2);
    EXPECT_EQ(later["train_loss"][1], p["train_loss"][39]);
}

TEST(PlaygroundSession, GridsAreEveryNeuronsOutputAndTheLastIsPredict) {
    Session s(moons());
    s.train_epochs(2);
    const int r = 9;
    const std::vector<float> grids = s.neuron_grids(r);
    ASSERT_EQ(grids.size(), static_cast<std::size_t>((8 + 4 + 1) * r * r));
    // The output's grid is predict() on the grid's points, top row first.
    const json layout = s.layout();
    const double x0 = layout["domain"][0], x1 = layout["domain"][1], y0 = layout["domain"][2], y1 = layout["domain"][3];
    Tensor points(Shape{r * r, 2});
    for (int i = 0; i < r * r; ++i) {
        points.data<float>()[2 * i] = static_cast<float>(x0 + (x1 - x0) / (r - 1) * (i % r));
        points.data<float>()[2 * i + 1] = static_cast<float>(y1 - (y1 - y0) / (r - 1) * (i / r));
    }
    const Tensor predicted = s.model().predict(points);
    for (int i = 0; i < r * r; ++i) EXPECT_EQ(grids[(8 + 4) * r * r + i], predicted.item(i)) << "point " << i;
    const std::vector<float> output = s.neuron_grids(r, true);
    EXPECT_EQ(output, std::vector<float>(grids.end() - r * r, grids.end()));
    // A ReLU unit's grid is never negative; a tanh unit's within (-1, 1).
    for (int i = 0; i < 8 * r * r; ++i) EXPECT_LE(std::abs(grids[i]), 1.0f);
    for (int i = 8 * r * r; i < 12 * r * r; ++i) EXPECT_GE(grids[i], 0.0f);
}

TEST(PlaygroundSession, GridsStopAtTheUnitsThePageDraws) {
    json s = moons();
    s["layers"] = json::array({{{"units", 100}, {"activation", "relu"}}});
    Session wide(s);
    EXPECT_EQ(wide.neuron_grids(4).size(), static_cast<std::size_t>((max_drawn_units + 1) * 16));
}

TEST(PlaygroundSession, DrawnKernelsAreTheDenseKernels) {
    json s = moons();
    s["layers"] = json::array({{{"units", 70}, {"activation", "relu"}}, {{"units", 3}, {"activation", "tanh"}}});
    Session session(s);
    const std::vector<float> k = session.drawn_kernels();
    // (2, 64 of 70), (64 of 70, 3), (3, 1)
    ASSERT_EQ(k.size(), static_cast<std::size_t>(2 * 64 + 64 * 3 + 3));
    const std::vector<Tensor> w = session.model().get_weights();  // kernel, bias per Dense
    EXPECT_EQ(k[1 * 64 + 5], w[0].item(1 * 70 + 5));
    EXPECT_EQ(k[2 * 64 + 10 * 3 + 2], w[2].item(10 * 3 + 2));
    EXPECT_EQ(k[2 * 64 + 64 * 3 + 1], w[4].item(1));
}

TEST(PlaygroundSession, FeaturesSoftmaxAndRegression) {
    json s = moons();
    s["features"] = {"x1", "x2", "x1^2", "x2^2", "x1x2", "sin(x1)", "sin(x2)"};
    EXPECT_EQ(Session(s).model().inputs(), 7);
    json blobs = moons();
    blobs["data"] = {{"name", "blobs"}, {"points", 300}, {"classes", 4}};
    Session b(blobs);
    EXPECT_EQ(b.model().outputs(), 4);
    EXPECT_EQ(b.layout()["layers"].back()["activation"], "softmax");
    b.train_epochs(5);
    EXPECT_GT(b.progress()["test_accuracy"].back().get<double>(), 0.8);
    json curve = moons();
    curve["data"] = {{"name", "regression"}, {"points", 200}, {"noise", 0.05}};
    curve["features"] = {"x1"};
    Session r(curve);
    EXPECT_TRUE(r.layout()["regression"].get<bool>());
    EXPECT_EQ(r.neuron_grids(50).size(), static_cast<std::size_t>((8 + 4 + 1) * 50));
    r.train_epochs(30);
    EXPECT_LT(r.progress()["test_loss"].back().get<double>(), 0.1);
}

TEST(PlaygroundSession, BatchNormAndDropoutDrawTheActivationsOutput) {
    json s = moons();
    s["batch_norm"] = true;
    s["dropout"] = 0.2;
    Session bn(s);
    // Dense, BatchNormalization, Activation, Dropout per hidden layer, then the output.
    EXPECT_EQ(bn.model().size(), 9);
    bn.train_epochs(2);
    EXPECT_EQ(bn.progress()["gradient_norm"][0].size(), 2);
    EXPECT_EQ(bn.neuron_grids(5).size(), static_cast<std::size_t>(13 * 25));
}

TEST(PlaygroundSession, ExportedModelFileLoadsAndPredictsTheSame) {
    Session s(moons());
    s.train_epochs(2);
    const std::string bytes = s.model_file();
    const std::string path = ::testing::TempDir() + "playground_export.safetensors";
    {
        std::FILE* f = std::fopen(path.c_str(), "wb");
        ASSERT_NE(f, nullptr);
        std::fwrite(bytes.data(), 1, bytes.size(), f);
        std::fclose(f);
    }
    const Sequential loaded = Sequential::load(path);
    const Tensor x = Tensor::from<float>(Shape{2, 2}, {0.1f, 0.2f, 1.5f, -0.3f});
    EXPECT_TRUE(test::bit_identical(loaded.predict(x), s.model().predict(x)));
    EXPECT_EQ(loaded.input_spec().feature_names(), (std::vector<std::string>{"x1", "x2"}));
}

TEST(PlaygroundSession, DivergenceIsReportedNotThrown) {
    json s = moons();
    s["optimizer"] = "sgd";
    s["lr"] = 1e9;
    s["layers"] = json::array({{{"units", 8}, {"activation", "relu"}}});
    Session wild(s);
    EXPECT_EQ(wild.layout()["warnings"].size(), 1);
    wild.train_epochs(20);
    const json p = wild.progress();
    ASSERT_TRUE(p.contains("diverged")) << p.dump();
    EXPECT_NE(p["diverged"].get<std::string>().find("lower the learning rate"), std::string::npos);
    const json before = wild.progress();
    wild.train_epochs(1);  // a diverged session does not train on
    EXPECT_EQ(wild.progress()["step"], before["step"]);
}

TEST(PlaygroundSession, WrongSettingsAreRefusedByName) {
    json thousand = moons();
    thousand["layers"] = json::array();
    for (int i = 0; i < 1000; ++i) thousand["layers"].push_back({{"units", 8}, {"activation", "tanh"}});
    EXPECT_NE(refusal(thousand).find("at most 32 hidden layers"), std::string::npos) << refusal(thousand);
    json s = moons();
    s["speed"] = 3;
    EXPECT_NE(refusal(s).find("unknown setting \"speed\""), std::string::npos) << refusal(s);
    s = moons();
    s["data"]["name"] = "donut";
    EXPECT_NE(refusal(s).find("no data set \"donut\""), std::string::npos) << refusal(s);
    s = moons();
    s["features"] = {"x3"};
    EXPECT_NE(refusal(s).find("no feature \"x3\""), std::string::npos) << refusal(s);
    s = moons();
    s["layers"][0]["activation"] = "relu6";
    EXPECT_NE(refusal(s).find("relu6"), std::string::npos) << refusal(s);
    s = moons();
    s["layers"][1]["units"] = 100000;
    EXPECT_NE(refusal(s).find("layer 2: units must be in [1, 256]"), std::string::npos) << refusal(s);
    s = moons();
    s["batch_size"] = 0;
    EXPECT_NE(refusal(s).find("batch_size"), std::string::npos) << refusal(s);
    s = moons();
    s["lr"] = "fast";
    EXPECT_NE(refusal(s).find("lr must be a number"), std::string::npos) << refusal(s);
    s = moons();
    s["optimizer"] = "adamax";
    EXPECT_NE(refusal(s).find("adamax"), std::string::npos) << refusal(s);
    s = moons();
    s["data"] = {{"name", "regression"}};
    s["features"] = {"x1", "x2"};
    EXPECT_NE(refusal(s).find("x2 needs two inputs"), std::string::npos) << refusal(s);
    s = moons();
    s["initializer"] = "magic";
    EXPECT_NE(refusal(s).find("magic"), std::string::npos) << refusal(s);
}

}  // namespace
}  // namespace mlp::playground
