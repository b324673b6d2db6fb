// The benchmarks' network: 784 inputs, ReLU hidden layers of the widths in
// HIDDEN ("256,128"), 10 softmax outputs, seed 0, built.
#pragma once

#include <mlp/mlp.hpp>

#include <sstream>
#include <string>

inline mlp::Sequential fashion_mlp(const std::string& hidden_widths) {
    mlp::Sequential model(784, {.seed = 0});
    std::stringstream hidden(hidden_widths);
    for (std::string units; std::getline(hidden, units, ',');) model.add(mlp::Dense(std::stoll(units), "relu"));
    model.add(mlp::Dense(10, "softmax"));
    model.build(784);
    return model;
}
