// XOR, the problem a single perceptron cannot solve (Minsky and Papert 1969),
// and the 2-2-1 network that can. The perceptron learns AND, which a line
// separates, and never stops making mistakes on XOR, which no line separates.
// The hidden layer bends the plane so that a line does the rest. A 2-2-1 net
// can also get stuck (in some starts both hidden units learn the same thing),
// so it is trained from a few seeds, as one would in practice.
//
// Writes xor.html (or argv[1]) with the decision boundaries.
#include <mlp/mlp.hpp>

#include <cstdio>

int main(int argc, char** argv) {
    const auto xor_data = mlp::data::xor_gate();
    auto and_data = mlp::data::xor_gate();
    and_data.y = mlp::Tensor::from<float>(mlp::Shape{4, 1}, {0, 0, 0, 1});

    mlp::Perceptron on_and(2, {.epochs = 20});
    const auto and_mistakes = on_and.fit(and_data.x, and_data.y);
    std::printf("perceptron on AND: %zu epochs, mistakes in the last %lld, accuracy %.2f\n", and_mistakes.size(),
                static_cast<long long>(and_mistakes.back()), on_and.score(and_data.x, and_data.y));

    mlp::Perceptron on_xor(2, {.epochs = 20});
    const auto xor_mistakes = on_xor.fit(xor_data.x, xor_data.y);
    std::printf("perceptron on XOR: %zu epochs, mistakes in the last %lld, accuracy %.2f\n", xor_mistakes.size(),
                static_cast<long long>(xor_mistakes.back()), on_xor.score(xor_data.x, xor_data.y));

    mlp::Adaline adaline(2, {.lr = 0.1, .epochs = 200});
    const auto cost = adaline.fit(and_data.x, and_data.y);
    std::printf("Adaline on AND: MSE %.4f -> %.4f, accuracy %.2f\n", cost.front(), cost.back(),
                adaline.score(and_data.x, and_data.y));

    int seed = 0;
    double accuracy = 0;
    mlp::Sequential mlp_net(2);
    for (; seed < 10 && accuracy < 1; ++seed) {
        mlp_net = mlp::Sequential(2, {mlp::Dense(2, "sigmoid", {.init = "normal:1"}), mlp::Dense(1, "sigmoid")},
                                  {.seed = static_cast<std::uint64_t>(seed)});
        mlp_net.compile(mlp::SGD{.lr = 0.5, .momentum = 0.9}, "binary_crossentropy", {"accuracy"});
        mlp_net.fit(xor_data.x, xor_data.y, {.epochs = 2000, .batch_size = 4, .verbose = 0});
        accuracy = mlp_net.evaluate(xor_data.x, xor_data.y)["accuracy"];
        std::printf("2-2-1 network on XOR, seed %d: accuracy %.2f\n", seed, accuracy);
    }
    const mlp::Tensor p = mlp_net.predict(xor_data.x);
    for (int i = 0; i < 4; ++i)
        std::printf("  %g xor %g -> %.3f\n", xor_data.x.item(2 * i), xor_data.x.item(2 * i + 1), p.item(i));

    namespace report = mlp::report;
    report::HtmlPage page("XOR: the perceptron and the 2-2-1 network");
    page.paragraph(
        "Each point is one of the four inputs, coloured by its target. The shading is what the model "
        "predicts there; ringed points are the mistakes.");
    auto perceptron = [](const mlp::Perceptron& model) {
        return [&model](const mlp::TensorView& x) { return model.predict(x); };
    };
    page.figures({report::decision_boundary(perceptron(on_and), 0.5, and_data.x, and_data.y,
                                            {.id = "perceptron-and", .title = "perceptron, AND", .size = 260}),
                  report::decision_boundary(perceptron(on_xor), 0.5, xor_data.x, xor_data.y,
                                            {.id = "perceptron-xor", .title = "perceptron, XOR", .size = 260}),
                  report::decision_boundary(mlp_net, xor_data.x, xor_data.y,
                                            {.id = "mlp-xor", .title = "2-2-1 network, XOR", .size = 260})});
    const std::string out = argc > 1 ? argv[1] : "xor.html";
    page.save(out);
    std::printf("wrote %s\n", out.c_str());
    return on_xor.score(xor_data.x, xor_data.y) < 1 && accuracy == 1 ? 0 : 1;
}
