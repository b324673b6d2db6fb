// Reading the reference fixtures: safetensors files of float32 (or float64) tensors written
// by the scripts beside this file, and their input formula.
#pragma once

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "mlp/core/tensor.hpp"

namespace mlp::test {

/// scale * sin(1.7 k + phase) in double, rounded to float: as fixture_io.formula does.
inline void fill_formula(const TensorView& t, double phase, double scale) {
    for (std::int64_t k = 0; k < t.numel(); ++k)
        t.data<float>()[k] = static_cast<float>(scale * std::sin(1.7 * static_cast<double>(k) + phase));
}

inline std::map<std::string, Tensor> read_fixture(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open fixture " + path);
    std::uint64_t header_size = 0;
    in.read(reinterpret_cast<char*>(&header_size), 8);
    std::string header(header_size, ' ');
    in.read(header.data(), static_cast<std::streamsize>(header_size));
    const std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::map<std::string, Tensor> out;
    const nlohmann::json index = nlohmann::json::parse(header);
    for (const auto& [name, info] : index.items()) {
        if (name == "__metadata__") continue;
        const auto shape = info["shape"].get<std::vector<std::int64_t>>();
        const auto offsets = info["data_offsets"].get<std::vector<std::size_t>>();
        const DType dtype = info["dtype"] == "F64" ? DType::f64 : DType::f32;
        Tensor t(shape.size() == 2 ? Shape{shape[0], shape[1]} : Shape{shape[0]}, dtype);
        std::memcpy(t.view().raw(), body.data() + offsets[0], offsets[1] - offsets[0]);
        out.emplace(name, std::move(t));
    }
    return out;
}

}  // namespace mlp::test
