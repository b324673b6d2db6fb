// ONNX export and import in a build without libonnx-dev: they say so.
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp {

void Sequential::export_onnx(const std::string& path, const OnnxOptions&) const {
    throw ConfigError("export_onnx: " + path +
                      ": this mlp was built without ONNX support (install libonnx-dev and libprotobuf-dev, then "
                      "build again)");
}

Sequential Sequential::load_onnx(const std::string& path) {
    throw ConfigError("load_onnx: " + path +
                      ": this mlp was built without ONNX support (install libonnx-dev and libprotobuf-dev, then "
                      "build again)");
}

}  // namespace mlp
