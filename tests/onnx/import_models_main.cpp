// Loads every DIR/NAME.onnx with Sequential::load_onnx, predicts NAME.x.npy and
// compares with NAME.y.npy (what the exporter's model gave: mlp's predict, or
// PyTorch's forward): within RTOL relative (and 1e-6 absolute for values near
// zero, as run_onnx.js), or bit-identical when RTOL is 0.
//   import_models_main DIR RTOL [--graph-only]
// --graph-only first drops the mlp.config metadata, so that the files mlp
// wrote are read operator by operator, as a foreign file would be; a model
// that only mlp's own files carry (SimpleRNN) must then fail naming its node.
#include <onnx/onnx_pb.h>
#include <mlp/mlp.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

/// A copy of the file without its mlp.config, beside it.
std::string without_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    onnx::ModelProto model;
    if (!model.ParseFromString(bytes.str())) throw std::runtime_error(path + ": not a ModelProto");
    auto* props = model.mutable_metadata_props();
    props->erase(std::remove_if(props->begin(), props->end(), [](const auto& e) { return e.key() == "mlp.config"; }),
                 props->end());
    const std::string out = path + ".graph_only";
    std::ofstream(out, std::ios::binary) << model.SerializeAsString();
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s DIR RTOL [--graph-only]\n", argv[0]);
        return 2;
    }
    const std::string dir = argv[1];
    const double rtol = std::atof(argv[2]);
    const bool graph_only = argc > 3 && std::string(argv[3]) == "--graph-only";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".onnx") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    int checked = 0, refused = 0, failed = 0;
    double worst = 0.0;
    for (const auto& file : files) {
        const std::string stem = (file.parent_path() / file.stem()).string(), name = file.stem().string();
        const bool recurrent = name.starts_with("rnn_");
        try {
            const mlp::Sequential model =
                mlp::Sequential::load_onnx(graph_only ? without_config(file.string()) : file.string());
            if (graph_only && recurrent) {
                std::printf("FAIL %s: read without its config, though the graph reader has no SimpleRNN\n",
                            name.c_str());
                ++failed;
                continue;
            }
            const mlp::Tensor x = mlp::data::load_npy(stem + ".x.npy");
            const mlp::Tensor want = mlp::data::load_npy(stem + ".y.npy");
            const mlp::Tensor got = model.predict(x.view());
            if (got.numel() != want.numel()) throw std::runtime_error("predicts " + got.shape().str());
            double file_worst = 0.0;
            for (std::int64_t i = 0; i < got.numel(); ++i) {
                const double diff = std::abs(got.item(i) - want.item(i));
                const double scale = rtol > 0.0 ? std::max(std::abs(want.item(i)), 1e-6 / rtol) : 1.0;
                file_worst = std::max(file_worst, diff / scale);
            }
            const bool ok = rtol == 0.0 ? file_worst == 0.0 : file_worst <= rtol;
            std::printf("%s %s: %zu layers, max difference %.3g\n", ok ? "ok" : "FAIL", name.c_str(), model.size(),
                        file_worst);
            worst = std::max(worst, file_worst);
            ++checked;
            failed += ok ? 0 : 1;
        } catch (const mlp::Error& e) {
            const std::string message = e.what();
            if (graph_only && recurrent && message.find("SimpleRNN") != std::string::npos) {
                std::printf("ok %s: refused: %s\n", name.c_str(), message.c_str());
                ++refused;
                continue;
            }
            std::printf("FAIL %s: %s\n", name.c_str(), message.c_str());
            ++failed;
        } catch (const std::exception& e) {
            std::printf("FAIL %s: %s\n", name.c_str(), e.what());
            ++failed;
        }
    }
    if (failed > 0 || checked == 0) return 1;
    std::printf("%d imported models predict %s (max difference %.3g)%s\n", checked,
                rtol == 0.0 ? "bit-identically" : "within the tolerance", worst,
                refused ? (", " + std::to_string(refused) + " refused naming their node").c_str() : "");
    return 0;
}
