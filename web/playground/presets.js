// The playground's presets: settings (as the session reads them, see
// session.hpp) for the lessons, opened by #preset=NAME. Each `mlp experiment`
// page links to the one that shows its lesson live.
"use strict";
const PRESETS = {
  "moons": {
    about: "Moons, 2-16-16-1 tanh, Adam: the playground's first picture.",
    settings: { data: { name: "moons", points: 1000, noise: 0.2, test_fraction: 0.5, classes: 2, seed: 0 },
                features: ["x1", "x2"], layers: [{ units: 16, activation: "tanh" }, { units: 16, activation: "tanh" }],
                optimizer: "adam", lr: 0.01, batch_size: 10, seed: 0 } },
  "xor": {
    about: "XOR needs a hidden layer: no line separates the quadrants, four tanh units do.",
    settings: { data: { name: "xor", points: 500, noise: 0.05 }, features: ["x1", "x2"],
                layers: [{ units: 4, activation: "tanh" }], optimizer: "adam", lr: 0.03, batch_size: 10 } },
  "circles-features": {
    about: "With x1² and x2² as inputs, the circles need no hidden layer at all: features do the work.",
    settings: { data: { name: "circles", points: 500, noise: 0.1 }, features: ["x1^2", "x2^2"], layers: [],
                optimizer: "sgd", lr: 0.3, batch_size: 10 } },
  "spirals": {
    about: "Two spirals: a deeper ReLU network bends the boundary around them.",
    settings: { data: { name: "spirals", points: 1000, noise: 0.1 }, features: ["x1", "x2"],
                layers: [{ units: 32, activation: "relu" }, { units: 32, activation: "relu" }, { units: 32, activation: "relu" }],
                optimizer: "adam", lr: 0.01, batch_size: 16 } },
  "vanishing-gradients": {
    about: "Ten sigmoid layers: the first layer's gradient is millions of times smaller than the last's, and it barely learns.",
    settings: { data: { name: "circles", points: 500, noise: 0.1 }, features: ["x1", "x2"],
                layers: Array.from({ length: 10 }, () => ({ units: 8, activation: "sigmoid" })),
                initializer: "glorot_uniform", optimizer: "sgd", lr: 0.1, batch_size: 10 } },
  "dead-relu": {
    about: "ReLU with a learning rate too large: units are pushed below zero for every input and stop learning.",
    settings: { data: { name: "moons", points: 500, noise: 0.2 }, features: ["x1", "x2"],
                layers: [{ units: 16, activation: "relu" }, { units: 16, activation: "relu" }],
                optimizer: "sgd", lr: 3, batch_size: 10 } },
  "initialization": {
    about: "Every weight zero: the units of a layer stay identical (symmetry), and the network is no wider than one unit.",
    settings: { data: { name: "circles", points: 500, noise: 0.1 }, features: ["x1", "x2"],
                layers: [{ units: 8, activation: "tanh" }, { units: 8, activation: "tanh" }],
                initializer: "zeros", optimizer: "sgd", lr: 0.1, batch_size: 10 } },
  "learning-rate": {
    about: "A learning rate of 10 with SGD: the loss jumps about instead of settling. Try 0.1.",
    settings: { data: { name: "moons", points: 500, noise: 0.2 }, features: ["x1", "x2"],
                layers: [{ units: 8, activation: "tanh" }], optimizer: "sgd", lr: 10, batch_size: 10 } },
  "universal-approximation": {
    about: "One hidden layer of tanh units fits a curve: more units, closer fit.",
    settings: { data: { name: "regression", points: 300, noise: 0.1 }, features: ["x1"],
                layers: [{ units: 16, activation: "tanh" }], optimizer: "adam", lr: 0.01, batch_size: 10 } },
  "overfitting": {
    about: "Few noisy points and a big network: the test loss turns up while the training loss falls. Add L2 or dropout.",
    settings: { data: { name: "moons", points: 60, noise: 0.35, test_fraction: 0.5 }, features: ["x1", "x2"],
                layers: [{ units: 64, activation: "relu" }, { units: 64, activation: "relu" }],
                optimizer: "adam", lr: 0.01, batch_size: 10 } },
  "batch-norm": {
    about: "Batch normalization between each Dense layer and its activation trains the deep sigmoid network after all.",
    settings: { data: { name: "circles", points: 500, noise: 0.1 }, features: ["x1", "x2"],
                layers: Array.from({ length: 10 }, () => ({ units: 8, activation: "sigmoid" })),
                batch_norm: true, optimizer: "adam", lr: 0.01, batch_size: 16 } },
  "softmax": {
    about: "Four Gaussian blobs, a softmax output: one probability per class.",
    settings: { data: { name: "blobs", points: 600, noise: 0.3, classes: 4 }, features: ["x1", "x2"],
                layers: [{ units: 8, activation: "relu" }], optimizer: "adam", lr: 0.03, batch_size: 16 } },
};
