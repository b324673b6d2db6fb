// Weights from a PyTorch state_dict saved as safetensors: module "0" with
// "0.weight" (out, in) and "0.bias", BatchNorm1d's weight, bias, running_mean
// and running_var. Modules are matched in order to the layers that hold
// weights: Linear to Dense (weight transposed into the kernel), BatchNorm1d to
// BatchNormalization. Normalization layers keep what adapt() gave them.
#include <algorithm>
#include <cctype>
#include <map>

#include "../model/named_weights.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp {

namespace {

using Module = std::map<std::string, const Tensor*>;

/// "net.10" after "net.2": numeric parts compare as numbers.
bool natural_less(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
            std::size_t ei = i, ej = j;
            while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
            while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
            const std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
            if (na.size() != nb.size()) return na.size() < nb.size();
            if (na != nb) return na < nb;
            i = ei;
            j = ej;
        } else {
            if (a[i] != b[j]) return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}

Tensor transposed(const Tensor& w) {
    const std::int64_t rows = w.rows(), cols = w.cols();
    Tensor t(Shape{cols, rows}, w.dtype());
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c) {
            if (w.dtype() == DType::f64)
                t.data<double>()[c * rows + r] = w.data<double>()[r * cols + c];
            else
                t.data<float>()[c * rows + r] = w.data<float>()[r * cols + c];
        }
    return t;
}

}  // namespace

void Sequential::load_torch_weights(const std::string& path) {
    if (!built_) throw ConfigError("load_torch_weights: build the model before loading weights into it");
    const io::NamedTensors file = io::read_safetensors(path);
    std::map<std::string, Module> by_prefix;
    for (const auto& [name, tensor] : file.tensors) {
        const std::size_t dot = name.rfind('.');
        by_prefix[dot == std::string::npos ? "" : name.substr(0, dot)][name.substr(dot + 1)] = &tensor;
    }
    std::vector<std::string> prefixes;
    for (const auto& [prefix, module] : by_prefix) prefixes.push_back(prefix);
    std::sort(prefixes.begin(), prefixes.end(), natural_less);

    std::vector<const Layer*> targets;
    for (const auto& layer : layers_)
        if (dynamic_cast<const Dense*>(layer.get()) || dynamic_cast<const BatchNormalization*>(layer.get()))
            targets.push_back(layer.get());
    if (targets.size() != prefixes.size())
        throw IOError(path + ": the state_dict has " + std::to_string(prefixes.size()) +
                      " modules with weights, the model " + std::to_string(targets.size()) +
                      " Dense and BatchNormalization layers");
    std::map<std::string, Tensor> assigned;  // our weight name -> value
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const Module& m = by_prefix[prefixes[i]];
        const std::string module = "module '" + prefixes[i] + "'";
        auto need = [&](const char* key) -> const Tensor& {
            const auto it = m.find(key);
            if (it == m.end()) throw IOError(path + ": " + module + " has no '" + key + "'");
            return *it->second;
        };
        const std::string name = targets[i]->name();
        if (dynamic_cast<const Dense*>(targets[i])) {
            if (m.count("running_mean"))
                throw IOError(path + ": " + module + " is a BatchNorm, but layer " + targets[i]->label() + " is Dense");
            const Tensor& w = need("weight");
            if (w.view().shape().rank() != 2)
                throw IOError(path + ": " + module + "'s weight is " + w.shape().str() + ", not a Linear's (out, in)");
            assigned[name + ".kernel"] = transposed(w);
            if (m.count("bias")) assigned[name + ".bias"] = need("bias");
        } else {
            if (!m.count("running_mean"))
                throw IOError(path + ": " + module + " is not a BatchNorm, but layer " + targets[i]->label() +
                              " is BatchNormalization");
            if (m.count("weight")) assigned[name + ".gamma"] = need("weight");
            if (m.count("bias")) assigned[name + ".beta"] = need("bias");
            assigned[name + ".moving_mean"] = need("running_mean");
            assigned[name + ".moving_variance"] = need("running_var");
        }
    }
    std::vector<Tensor> weights;
    for (const auto& [name, view] : named_weights(*this)) {
        const auto it = assigned.find(name);
        if (it == assigned.end()) {
            weights.push_back(Tensor::copy_of(view));
            continue;
        }
        if (!(it->second.shape() == view.shape()))
            throw ShapeError(path + ": " + name + " is " + view.shape().str() +
                             " in the model, but the state_dict gives " + it->second.shape().str());
        weights.push_back(it->second);
    }
    set_weights(weights);
}

}  // namespace mlp
