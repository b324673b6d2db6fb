// Fashion-MNIST with 784-512-256-10, each hidden layer Dense -> BatchNormalization
// -> ReLU -> Dropout(0.3), AdamW (lr 1e-3, weight decay 1e-4) with cosine decay
// to zero over the run, batch 128. The recipe is PyTorch's (bench/
// torch_fashion_regularized.py with BatchNorm1d before the ReLU), so BatchNorm
// takes PyTorch's defaults: momentum 0.1 there is 0.9 here, epsilon 1e-5.
// PyTorch reaches 0.903-0.904 after 20 epochs.
// Arguments: [epochs = 20] [seed = 0] [training samples to use, 0 = all 60,000].
#include <mlp/mlp.hpp>

#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    const int epochs = argc > 1 ? std::atoi(argv[1]) : 20;
    const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 0;
    const std::int64_t limit = argc > 3 ? std::atoll(argv[3]) : 0;
    const auto train = mlp::data::load_named("fashion-mnist", "train");
    const auto test = mlp::data::load_named("fashion-mnist", "test");
    const std::int64_t n = limit > 0 && limit < train.size() ? limit : train.size();

    const mlp::BatchNormOptions torch_batchnorm{.momentum = 0.9, .epsilon = 1e-5};
    mlp::Sequential model(784,
                          {mlp::Dense(512), mlp::BatchNormalization(torch_batchnorm), mlp::Activation("relu"),
                           mlp::Dropout(0.3), mlp::Dense(256), mlp::BatchNormalization(torch_batchnorm),
                           mlp::Activation("relu"), mlp::Dropout(0.3), mlp::Dense(10, "softmax")},
                          {.seed = seed});
    model.compile(mlp::AdamW{.lr = 1e-3, .weight_decay = 1e-4}, "sparse_categorical_crossentropy", {"accuracy"});
    model.fit(train.x.rows(0, n), train.y.rows(0, n),
              {.epochs = epochs, .batch_size = 128, .verbose = 2, .lr_schedule = mlp::CosineDecay{}});
    const auto scores = model.evaluate(test.x, test.y);
    std::printf("seed %llu: test %s\n", static_cast<unsigned long long>(seed), scores.str().c_str());
    return 0;
}
