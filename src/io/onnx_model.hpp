// The ONNX model that export_onnx writes, in memory: load_onnx builds it again
// to tell whether a file is exactly what mlp wrote for the model it describes.
#pragma once

#include <onnx/onnx_pb.h>

#include "mlp/model/sequential.hpp"

namespace mlp::io {

/// The inference graph, metadata and opset of `model`; throws ConfigError as export_onnx.
onnx::ModelProto onnx_model(const Sequential& model, const OnnxOptions& options);

}  // namespace mlp::io
