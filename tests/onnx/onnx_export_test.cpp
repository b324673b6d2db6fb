// The exported graph read back with ONNX's own protobuf classes: the operators
// each layer becomes, the names and dynamic batch of input and output, the
// metadata (input spec, config), and the errors for what does not export.
// What the graph computes is checked by ONNX Runtime (run_onnx.js).
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "mlp/mlp.hpp"

namespace mlp {

namespace {

namespace fs = std::filesystem;

onnx::ModelProto exported(const Sequential& model, const std::string& name, OnnxOptions options = {}) {
    const std::string path = (fs::temp_directory_path() / ("mlp_onnx_export_test_" + name + ".onnx")).string();
    model.export_onnx(path, options);
    std::ifstream in(path, std::ios::binary);
    onnx::ModelProto proto;
    EXPECT_TRUE(proto.ParseFromIstream(&in)) << path;
    fs::remove(path);
    return proto;
}

std::map<std::string, int> op_counts(const onnx::GraphProto& g) {
    std::map<std::string, int> counts;
    for (const auto& n : g.node()) ++counts[n.op_type()];
    return counts;
}

std::string metadata(const onnx::ModelProto& m, const std::string& key) {
    for (const auto& p : m.metadata_props())
        if (p.key() == key) return p.value();
    return "";
}

}  // namespace

TEST(OnnxExport, EachLayerBecomesItsOperators) {
    Normalization norm("standardize");
    norm.adapt(Tensor::from<float>(Shape{3, 2}, {0, 1, 2, 3, 4, 8}).view());
    Sequential model(2, {norm, Dense(8, "relu"), BatchNormalization(), Dropout(0.5), Dense(8, "gelu"),
                         Activation("leaky_relu:0.2"), Dense(3, "softmax")});
    const onnx::ModelProto m = exported(model, "layers");
    const auto ops = op_counts(m.graph());
    EXPECT_EQ(ops.at("Gemm"), 3);
    EXPECT_EQ(ops.at("Sub"), 1);
    EXPECT_EQ(ops.at("Div"), 2);  // Normalization's, and GELU's z / sqrt 2
    EXPECT_EQ(ops.at("Erf"), 1);
    EXPECT_EQ(ops.at("BatchNormalization"), 1);
    EXPECT_EQ(ops.at("LeakyRelu"), 1);
    EXPECT_EQ(ops.at("Softmax"), 1);
    EXPECT_EQ(ops.count("Dropout"), 0u);  // inference: the identity
    EXPECT_EQ(m.graph().node(m.graph().node_size() - 1).output(0), "output");
    EXPECT_EQ(m.opset_import(0).version(), 17);
    EXPECT_EQ(m.producer_name(), "mlp");
    const auto& input = m.graph().input(0).type().tensor_type();
    EXPECT_EQ(m.graph().input(0).name(), "input");
    EXPECT_EQ(input.elem_type(), onnx::TensorProto::FLOAT);
    EXPECT_EQ(input.shape().dim(0).dim_param(), "batch");
    EXPECT_EQ(input.shape().dim(1).dim_value(), 2);
    EXPECT_EQ(m.graph().output(0).type().tensor_type().shape().dim(1).dim_value(), 3);
    // The kernel travels as (in, out), Gemm's B, bit for bit.
    for (const auto& t : m.graph().initializer())
        if (t.name() == "dense_1.kernel") {
            ASSERT_EQ(t.dims_size(), 2);
            EXPECT_EQ(t.dims(0), 2);
            EXPECT_EQ(t.dims(1), 8);
            const TensorView kernel = model.layer(1).parameters()[0].value;
            ASSERT_EQ(t.raw_data().size(), 16 * sizeof(float));
            EXPECT_EQ(std::memcmp(t.raw_data().data(), kernel.data<float>(), t.raw_data().size()), 0);
        }
    EXPECT_EQ(Sequential::from_json(metadata(m, "mlp.config")).to_json(), model.to_json());
}

TEST(OnnxExport, ResidualBlocksAddTheirShortcutProjectedWhereTheWidthChanges) {
    Sequential model(0);
    model.add(Dense(4, "relu")).add(Residual({Dense(4, "relu"), Dense(4)})).add(Residual({Dense(6, "tanh")}));
    model.add(Dense(1, "sigmoid")).build(3);
    const auto ops = op_counts(exported(model, "residual").graph());
    EXPECT_EQ(ops.at("Add"), 2);
    EXPECT_EQ(ops.at("MatMul"), 1);  // the projection, 4 -> 6, without bias
    EXPECT_EQ(ops.at("Gemm"), 5);
}

TEST(OnnxExport, ASimpleRnnIsTheRnnOperatorBetweenReshapes) {
    Sequential model(0);
    model.add(SimpleRNN(5, {.features = 3, .return_sequences = true})).add(Dense(2)).build(12);
    const onnx::ModelProto m = exported(model, "rnn");
    const auto ops = op_counts(m.graph());
    EXPECT_EQ(ops.at("RNN"), 1);
    EXPECT_EQ(ops.at("Reshape"), 2);
    EXPECT_EQ(ops.at("Transpose"), 2);
    std::map<std::string, std::string> attributes;
    for (const auto& n : m.graph().node())
        if (n.op_type() == "RNN")
            for (const auto& a : n.attribute())
                attributes[a.name()] = a.type() == onnx::AttributeProto::INT ? std::to_string(a.i()) : a.strings(0);
    EXPECT_EQ(attributes["hidden_size"], "5");
    EXPECT_EQ(attributes["activations"], "Tanh");
}

TEST(OnnxExport, CarriesTheInputSpecAndTheDtype) {
    Sequential model(3, {Dense(2, "softmax")}, {.dtype = DType::f64});
    model.set_input_spec({.features = 3, .task = "classification", .class_names = {"cat", "dog"}});
    const onnx::ModelProto m = exported(model, "spec");
    EXPECT_NE(metadata(m, "mlp.input_spec").find("\"cat\""), std::string::npos) << metadata(m, "mlp.input_spec");
    EXPECT_EQ(m.graph().input(0).type().tensor_type().elem_type(), onnx::TensorProto::DOUBLE);
    EXPECT_EQ(exported(model, "opset", {.opset = 18}).opset_import(0).version(), 18);
}

TEST(OnnxExport, RefusesWhatItCannotWriteAndLeavesNoFile) {
    const std::string path = (fs::temp_directory_path() / "mlp_onnx_export_test_refused.onnx").string();
    fs::remove(path);
    Sequential rnn(0);
    rnn.add(SimpleRNN(4, {.features = 2, .activation = "gelu"})).add(Dense(1)).build(6);
    try {
        rnn.export_onnx(path);
        FAIL() << "a SimpleRNN with GELU exported";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("simple_rnn_1"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("gelu"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(path));
    EXPECT_THROW(Sequential(0, {Dense(3)}).export_onnx(path), ConfigError);  // not built
    EXPECT_THROW(Sequential(2, {Dense(3)}).export_onnx(path, {.opset = 12}), ConfigError);
    try {
        Sequential(2, {Dense(3)}).export_onnx("/nonexistent/dir/model.onnx");
        FAIL();
    } catch (const IOError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/model.onnx"), std::string::npos) << e.what();
    }
}

}  // namespace mlp
