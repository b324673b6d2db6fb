// Resuming in a fresh process: `resume_main straight OUT` trains 10 epochs and
// writes the weights; `resume_main first CKPT` trains 5 with a checkpoint;
// `resume_main rest CKPT OUT` loads it and trains to 10. resume.cmake runs the
// three and compares the two weight files byte for byte.
#include <cstdio>
#include <string>

#include "mlp/mlp.hpp"

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (argc < 3 || (mode != "straight" && mode != "first" && mode != "rest")) {
        std::fprintf(stderr, "usage: resume_main straight OUT | first CKPT | rest CKPT OUT\n");
        return 2;
    }
    try {
        const auto data = mlp::data::spirals(600, 3, 0.2, 1);
        const mlp::FitOptions recipe{.epochs = 10,
                                     .batch_size = 32,
                                     .validation_split = 0.2,
                                     .verbose = 0,
                                     .lr_schedule = mlp::StepDecay{.epochs = 3, .factor = 0.5}};
        auto build = [&] {
            mlp::Normalization norm;
            norm.adapt(data.x);
            mlp::Sequential model(2,
                                  {norm, mlp::Dense(32, "relu"), mlp::BatchNormalization(), mlp::Dropout(0.2),
                                   mlp::Dense(32, "relu"), mlp::Dense(3, "softmax")},
                                  {.seed = 3});
            model.compile(mlp::RMSprop{.lr = 1e-2, .momentum = 0.5}, "sparse_categorical_crossentropy", {"accuracy"});
            return model;
        };
        if (mode == "straight") {
            auto model = build();
            model.fit(data.x, data.y, recipe);
            model.save_weights(argv[2]);
        } else if (mode == "first") {
            auto model = build();
            auto options = recipe;
            options.epochs = 5;
            options.checkpoint = argv[2];
            model.fit(data.x, data.y, options);
        } else {
            if (argc < 4) return 2;
            auto model = mlp::Sequential::load(argv[2]);
            auto options = recipe;
            options.resume = true;
            const auto history = model.fit(data.x, data.y, options);
            std::printf("resumed at epoch 6, History holds %zu epochs\n", history.epochs());
            model.save_weights(argv[3]);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    return 0;
}
