// Scores: what evaluate() returns, the loss and each metric by name.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mlp {

class Scores {
public:
    void add(std::string name, double value) { items_.emplace_back(std::move(name), value); }
    /// Sets the i-th value in place (the training loop's running logs allocate nothing).
    void set(std::size_t i, double value) { items_.at(i).second = value; }
    bool contains(std::string_view name) const;
    void clear() { items_.clear(); }
    /// The value named `name` ("loss", "accuracy"); throws ConfigError listing the names there are.
    double operator[](std::string_view name) const;
    double loss() const { return (*this)["loss"]; }
    const std::vector<std::pair<std::string, double>>& items() const { return items_; }
    /// "loss: 0.3412 - accuracy: 0.8801"
    std::string str() const;

private:
    std::vector<std::pair<std::string, double>> items_;
};

}  // namespace mlp
