// The report's pieces: charts draw what they are given (gaps for non-finite
// values, nothing below zero on a log scale), heat maps and grids check their
// shapes, History reads back what it wrote, and the training report has the
// sections its data calls for.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "mlp/mlp.hpp"

using namespace mlp;
using namespace mlp::report;

namespace {

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

/// The d attribute of the series path named `name` (as written, escaped).
std::string path_of(const std::string& svg, const std::string& name) {
    const std::size_t at = svg.find("data-series=\"" + name + "\"");
    if (at == std::string::npos) return "(none)";
    const std::size_t d = svg.find(" d=\"", at) + 4;
    return svg.substr(d, svg.find('"', d) - d);
}

}  // namespace

TEST(LineChart, DrawsEveryFinitePointAndLeavesGapsForTheRest) {
    LineChart chart({.id = "c"});
    chart.add({.name = "a", .y = {1, 2, NAN, 4, 5}});
    const std::string d = path_of(chart.svg(), "a");
    EXPECT_EQ(count(d, "M"), 2) << d;  // two pieces: before and after the NaN
    EXPECT_EQ(count(d, "L"), 2) << d;
    EXPECT_NE(chart.svg().find("data-chart=\"c\""), std::string::npos);
}

TEST(LineChart, LogScaleSkipsValuesAtOrBelowZeroAndTicksAtDecades) {
    LineChart chart({.log_y = true});
    chart.add({.name = "g", .y = {1e-4, 0, 1e-2, -1, 1}});
    const std::string svg = chart.svg();
    EXPECT_EQ(count(path_of(svg, "g"), "M"), 3);
    for (const char* tick : {">0.0001<", ">0.001<", ">0.01<", ">0.1<", ">1<"})
        EXPECT_NE(svg.find(tick), std::string::npos) << tick;
    EXPECT_TRUE(chart.has_data());
    EXPECT_FALSE(LineChart({.log_y = true}).add({.y = {0, -1, NAN}}).has_data());
}

TEST(LineChart, PointsMapToTheirPixelsAndMarkersAreLabelled) {
    // x from 1 to 5 over [60, 540], y from 0 to 1 over [275, 46] (the default frame).
    LineChart chart({});
    chart.add({.name = "s", .y = {0, 0.25, 0.5, 0.75, 1}}).mark(3, "best epoch 3");
    const std::string svg = chart.svg();
    EXPECT_EQ(path_of(svg, "s"), "M60 275L180 217.75L300 160.5L420 103.25L540 46");
    EXPECT_NE(svg.find("best epoch 3"), std::string::npos);
}

TEST(LineChart, EscapesNames) {
    LineChart chart({.title = "a<b & c"});
    chart.add({.name = "\"x\"", .y = {1, 2}});
    const std::string svg = chart.svg();
    EXPECT_EQ(svg.find("a<b"), std::string::npos);
    EXPECT_NE(svg.find("a&lt;b &amp; c"), std::string::npos);
    EXPECT_NE(svg.find("&quot;x&quot;"), std::string::npos);
}

TEST(HeatMap, ConfusionMatrixHasACellPerPairWithItsCount) {
    const Tensor pred =
        Tensor::from<float>(Shape{4, 3}, {0.8f, 0.1f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.8f, 0.1f, 0.1f, 0.1f, 0.8f});
    const Tensor y = Tensor::from<float>(Shape{4}, {0, 1, 2, 2});
    const std::string svg = confusion_heat_map(confusion_matrix(pred.view(), y.view()), {"cat", "dog", "<bird>"});
    EXPECT_EQ(count(svg, "class=\"cell\""), 9);
    EXPECT_NE(svg.find("&lt;bird&gt; / dog: 1"), std::string::npos);  // true bird, predicted dog, once
    EXPECT_NE(svg.find("&lt;bird&gt; / &lt;bird&gt;: 1"), std::string::npos);
    EXPECT_NE(svg.find("cat / cat: 1"), std::string::npos);
}

TEST(HeatMap, MismatchedNamesOrRowsAreShapeErrors) {
    EXPECT_THROW(heat_map({{1, 2}, {3, 4}}, {}, {"a"}, {"x", "y"}), ShapeError);
    EXPECT_THROW(heat_map({{1, 2}, {3}}, {}, {"a", "b"}, {"x", "y"}), ShapeError);
    EXPECT_THROW(heat_map({{1, 2}}, {{"1"}}, {"a"}, {"x", "y"}), ShapeError);
}

TEST(ImageGrid, EmbedsOnePngPerImageAndChecksPixelCounts) {
    std::vector<CaptionedImage> images(3, {.pixels = std::vector<float>(6, 0.5f), .caption = "true: 1"});
    images[1].pixels[0] = 1;
    const std::string svg = image_grid(images, 2, 3, {.columns = 2});
    EXPECT_EQ(count(svg, "href=\"data:image/png;base64,iVBORw0KGgo"), 3);  // the PNG signature in base64
    EXPECT_EQ(count(svg, "true: 1"), 3);
    images[2].pixels.pop_back();
    EXPECT_THROW(image_grid(images, 2, 3), ShapeError);
}

TEST(History, ReadsBackItsCsvAndJsonIncludingNaN) {
    History h;
    for (double v : {0.5, 0.25, double(NAN)}) h.append("loss", v);
    for (double v : {0.75, 0.875, 0.9}) h.append("accuracy", v);
    for (const History& back : {History::from_csv(h.to_csv()), History::from_json(h.to_json())}) {
        ASSERT_EQ(back.keys(), (std::vector<std::string>{"loss", "accuracy"}));
        EXPECT_EQ(back["loss"][1], 0.25);
        EXPECT_TRUE(std::isnan(back["loss"][2]));
        EXPECT_EQ(back["accuracy"][2], 0.9);
    }
}

TEST(History, MalformedFilesNameTheLine) {
    try {
        History::from_csv("epoch,loss\n1,0.5\n2,abc\n", "'h.csv'");
        FAIL();
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("'h.csv', line 3: loss = \"abc\""), std::string::npos) << e.what();
    }
    EXPECT_THROW(History::from_csv("loss\n0.5\n"), DataError);
    EXPECT_THROW(History::from_csv("epoch,loss\n1,0.5,7\n"), DataError);
    EXPECT_THROW(History::from_json("{\"history\": {\"loss\": [\"x\"]}}"), DataError);
    EXPECT_THROW(History::from_json("{"), DataError);
    EXPECT_THROW(History::load("/nonexistent/history.csv"), IOError);
}

TEST(DecisionBoundary, ShadesThePlaneAndRingsMistakes) {
    const data::Dataset moons = data::moons(200, 0.1, 0);
    Sequential model(2, {Dense(16, "tanh"), Dense(2, "softmax")});
    model.compile("adam", Loss("sparse_categorical_crossentropy"));
    const std::string before = decision_boundary(model, moons.x.view(), moons.y.view());
    EXPECT_EQ(count(before, "<circle"), 200 + 2);  // the points and the legend's two
    EXPECT_EQ(count(before, "<image class=\"boundary\""), 1);
    model.fit(moons.x.view(), moons.y.view(), {.epochs = 60, .batch_size = 16, .verbose = 0});
    const std::string after = decision_boundary(model, moons.x.view(), moons.y.view());
    // Fewer points ringed as mistakes once trained.
    EXPECT_LT(count(after, "stroke=\"#000\""), count(before, "stroke=\"#000\""));
    Sequential wide(3, {Dense(2, "softmax")});
    EXPECT_THROW(decision_boundary(wide, moons.x.view(), moons.y.view()), ShapeError);
}

TEST(TrainingReport, HasTheSectionsItsDataCallsFor) {
    // Images: 4x4 pictures of two classes, told apart by their top half.
    data::Dataset images{.x = Tensor(Shape{40, 16}),
                         .y = Tensor(Shape{40}),
                         .classes = 2,
                         .class_names = {"top", "<bottom>"},
                         .image_shape = {4, 4}};
    for (std::int64_t i = 0; i < 40; ++i) {
        images.y.data<float>()[i] = static_cast<float>(i % 2);
        for (std::int64_t p = 0; p < 16; ++p)
            images.x.data<float>()[i * 16 + p] = ((p < 8) == (i % 2 == 0)) ? 1.0f : 0.0f;
    }
    Sequential model(16, {Dense(8, "relu"), Dense(2, "softmax")});
    model.compile("adam", Loss("sparse_categorical_crossentropy"), {"accuracy"});
    auto monitor = std::make_shared<TrainingMonitor>(images.x.view());
    const History history = model.fit(images.x.view(), images.y.view(),
                                      {.epochs = 3, .validation_split = 0.25, .verbose = 0, .callbacks = {monitor}});
    const std::string page =
        training_report(model, history, {.config = "{\"x\": \"<y>\"}", .monitor = monitor.get(), .test = &images})
            .str();
    for (const char* chart : {"history-loss", "history-accuracy", "confusion-matrix", "roc", "gradient-norms",
                              "activation-mean", "activation-std", "dead-fraction"})
        EXPECT_NE(page.find(std::string("data-chart=\"") + chart + "\""), std::string::npos) << chart;
    EXPECT_EQ(page.find("data-chart=\"decision-boundary\""), std::string::npos);  // 16 inputs: no plane to draw
    EXPECT_NE(page.find("&lt;bottom&gt; (AUC "), std::string::npos);              // a curve per class, named
    EXPECT_NE(page.find("&lt;bottom&gt;"), std::string::npos);
    EXPECT_NE(page.find("{&quot;x&quot;: &quot;&lt;y&gt;&quot;}"), std::string::npos);
    EXPECT_EQ(page.find("<script"), std::string::npos);
    // Misclassified images appear when there are mistakes (an untrained model makes some).
    Sequential fresh(16, {Dense(2, "softmax")}, ModelOptions{.seed = 3});
    fresh.compile("sgd", Loss("sparse_categorical_crossentropy"));
    const std::string untrained = training_report(fresh, history, {.test = &images}).str();
    EXPECT_NE(untrained.find("data-chart=\"misclassified\""), std::string::npos);

    // 1-D regression: the fitted curve instead of a confusion matrix.
    const data::Dataset wave = data::sine(100, 0.1, 0);
    Sequential regressor(1, {Dense(8, "tanh"), Dense(1)});
    regressor.compile("adam", Loss("mse"));
    const History h = regressor.fit(wave.x.view(), wave.y.view(), {.epochs = 2, .verbose = 0});
    const std::string fit = training_report(regressor, h, {.test = &wave}).str();
    EXPECT_NE(fit.find("data-chart=\"fit\""), std::string::npos);
    EXPECT_EQ(fit.find("data-chart=\"confusion-matrix\""), std::string::npos);
    EXPECT_EQ(fit.find("data-chart=\"roc\""), std::string::npos);
}

TEST(ActivationPlots, DrawTheLibrarysOwnFunctionsAndDerivatives) {
    const auto charts = activation_function_charts();
    ASSERT_EQ(charts.size(), 11u);
    // Every activation the library parses has its chart, drawn with its default parameter.
    std::string all;
    for (const auto& c : charts) all += c;
    std::stringstream names(ActivationFunction::known_names());
    for (std::string name; std::getline(names >> std::ws, name, ',');)
        EXPECT_NE(all.find("data-chart=\"activation-" + name + "\""), std::string::npos) << name;
    EXPECT_NE(all.find("leaky ReLU (α = 0.01, the default)"), std::string::npos);
    EXPECT_EQ(ActivationFunction::default_alpha(ActivationFunction::Kind::leaky_relu), 0.01);
    // All 201 points of f and of f' are drawn, none lost to a gap.
    const std::string& relu = charts[6];
    EXPECT_NE(relu.find("data-chart=\"activation-relu\""), std::string::npos);
    EXPECT_EQ(count(path_of(relu, "f(z)"), "L"), 200);
    EXPECT_EQ(count(path_of(relu, "f&#39;(z)"), "L"), 200);
    EXPECT_NE(activation_functions_page().str().find("GELU"), std::string::npos);
}

namespace mlp::report {

TEST(NetworkDiagram, DrawsEveryUnitAndConnectionOfASmallNetwork) {
    const Sequential model(2, {Dense(3, "sigmoid"), Dense(3, "sigmoid"), Dense(1, "sigmoid")});
    const std::string svg = network_diagram(model);
    EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_EQ(count(svg, "<circle"), 2 + 3 + 3 + 1);
    EXPECT_EQ(count(svg, "<line"), 2 * 3 + 3 * 3 + 3 * 1);  // fully connected, column to column
    EXPECT_EQ(count(svg, "\u22ee"), 0);
    EXPECT_NE(svg.find(">dense_2</text>"), std::string::npos);
    EXPECT_NE(svg.find(">Dense, sigmoid</text>"), std::string::npos);
    EXPECT_NE(svg.find(">1 unit</text>"), std::string::npos);
    EXPECT_EQ(svg.find("<path"), std::string::npos);  // no shortcut, no recurrence
}

TEST(NetworkDiagram, ElidesWideLayersAndTagsLayersWithoutUnits) {
    const Sequential model(784, {Dense(256, "relu"), Dropout(0.2), BatchNormalization(), Dense(10, "softmax")});
    const std::string svg = network_diagram(model, {.max_units = 8, .title = "a <wide> net"});
    EXPECT_EQ(count(svg, "<circle"), 7 * 3);  // 8 slots a column, one of them the ellipsis
    EXPECT_EQ(count(svg, "\u22ee"), 3);
    EXPECT_EQ(count(svg, "<line"), 7 * 7 * 2);
    for (const char* text : {">784 units<", ">256 units<", ">10 units<", ">dropout 0.2<", ">batch norm<",
                             ">a &lt;wide&gt; net<"})
        EXPECT_NE(svg.find(text), std::string::npos) << text;
    EXPECT_EQ(svg.find(">dropout_1<"), std::string::npos);  // a tag, not a column of its own
}

TEST(NetworkDiagram, DrawsShortcutsAndRecurrences) {
    Sequential residual(0);
    residual.add(Dense(4, "relu")).add(Residual({Dense(4, "relu"), Dense(4)})).add(Residual({Dense(6, "relu")}));
    residual.add(Dense(1, "sigmoid")).build(2);
    const std::string svg = network_diagram(residual);
    EXPECT_EQ(count(svg, "shortcut, added"), 2);
    EXPECT_NE(svg.find(">residual_1/dense_1<"), std::string::npos) << svg;
    EXPECT_NE(svg.find(">+ projected input<"), std::string::npos);  // 4 -> 6 needs a projection
    Sequential rnn(0);
    rnn.add(SimpleRNN(5, {.features = 2})).add(Dense(2, "softmax")).build(6);
    EXPECT_EQ(count(network_diagram(rnn), "<path"), 5);  // each recurrent unit loops back
    EXPECT_THROW(network_diagram(Sequential(0, {Dense(3)})), ShapeError);
}

}  // namespace mlp::report
