// The README's example, compiled and run by the test suite so the two cannot drift.
#include <mlp/mlp.hpp>

int main(int argc, char** argv) {
    const int epochs = argc > 1 ? std::atoi(argv[1]) : 10;
    auto train = mlp::data::load_named("fashion-mnist", "train");
    auto test = mlp::data::load_named("fashion-mnist", "test");

    mlp::Sequential model(784, {
        mlp::Dense(256, "relu"),
        mlp::Dense(128, "relu"),
        mlp::Dense(10, "softmax"),
    });
    model.compile(mlp::Adam{.lr = 1e-3}, "sparse_categorical_crossentropy", {"accuracy"});
    model.summary();
    auto history = model.fit(train.x, train.y, {.epochs = epochs, .batch_size = 128, .validation_split = 0.1});
    auto scores = model.evaluate(test.x, test.y);
    std::printf("test accuracy: %.4f\n", scores["accuracy"]);
    history.save("history.csv");
}
