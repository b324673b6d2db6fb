// ONNX import: mlp's own files come back whole, an edited one is read from its
// graph, foreign graphs become the layers that compute them, and every
// malformed file or graph mlp cannot represent fails naming the file and the
// node. Graphs are built here with ONNX's protobuf classes; the PyTorch
// exports and round trips of every layer are import_models_main's.
#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

#include "mlp/mlp.hpp"

namespace mlp {

namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
    return (fs::temp_directory_path() / ("mlp_onnx_import_test_" + name + ".onnx")).string();
}

void write(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

onnx::ModelProto read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    onnx::ModelProto proto;
    EXPECT_TRUE(proto.ParseFromIstream(&in)) << path;
    return proto;
}

/// A graph written node by node: input "x" (batch, features) of floats, output "y".
class Graph {
public:
    explicit Graph(std::int64_t features, std::int64_t outputs) {
        model_.set_ir_version(8);
        model_.add_opset_import()->set_version(17);
        value_info(*model_.mutable_graph()->add_input(), "x", features);
        value_info(*model_.mutable_graph()->add_output(), "y", outputs);
    }

    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs, const std::string& output) {
        onnx::NodeProto& n = *model_.mutable_graph()->add_node();
        n.set_op_type(op);
        n.set_name(output + "_node");
        for (const auto& i : inputs) n.add_input(i);
        n.add_output(output);
        return n;
    }

    /// An initializer of floats; `dims` may disagree with the values, to make a malformed file.
    void weight(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<float>& values) {
        onnx::TensorProto& t = *model_.mutable_graph()->add_initializer();
        t.set_name(name);
        t.set_data_type(onnx::TensorProto::FLOAT);
        for (const std::int64_t d : dims) t.add_dims(d);
        for (const float v : values) t.add_float_data(v);
    }

    onnx::ModelProto& model() { return model_; }

    std::string save(const std::string& name) const {
        const std::string path = temp_path(name);
        write(path, model_.SerializeAsString());
        return path;
    }

private:
    static void value_info(onnx::ValueInfoProto& v, const std::string& name, std::int64_t features) {
        v.set_name(name);
        auto& t = *v.mutable_type()->mutable_tensor_type();
        t.set_elem_type(onnx::TensorProto::FLOAT);
        t.mutable_shape()->add_dim()->set_dim_param("batch");
        t.mutable_shape()->add_dim()->set_dim_value(features);
    }

    onnx::ModelProto model_;
};

/// load_onnx's IOError message for `path`, which must name the file and every part of `expected`.
void expect_refused(const std::string& path, const std::vector<std::string>& expected) {
    try {
        Sequential::load_onnx(path);
        ADD_FAILURE() << path << " loaded";
    } catch (const IOError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(path), std::string::npos) << message;
        for (const auto& part : expected) EXPECT_NE(message.find(part), std::string::npos) << message;
    }
    fs::remove(path);
}

Tensor rows() { return Tensor::from<float>(Shape{3, 2}, {0.5f, -1.0f, 2.0f, 0.25f, -3.0f, 1.5f}); }

}  // namespace

TEST(OnnxImport, WhatMlpWroteComesBackWhole) {
    Normalization norm("standardize");
    norm.adapt(rows().view());
    Sequential model(2, {norm, Dense(8, "relu"), BatchNormalization(), Dropout(0.25), Dense(3, "softmax")},
                     {.seed = 4});
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    model.set_input_spec({.features = 2, .task = "classification", .class_names = {"a", "b", "c"}});
    const std::string path = temp_path("whole");
    model.export_onnx(path);
    const Sequential back = Sequential::load_onnx(path);
    fs::remove(path);
    ASSERT_EQ(back.size(), model.size());  // Dropout too, though the graph has none
    for (std::size_t i = 0; i < model.size(); ++i) EXPECT_EQ(back.layer(i).label(), model.layer(i).label());
    EXPECT_TRUE(back.compiled());
    EXPECT_EQ(back.input_spec().class_names, model.input_spec().class_names);
    EXPECT_EQ(back.input_spec().scaling, "standardize");
    const Tensor want = model.predict(rows().view()), got = back.predict(rows().view());
    for (std::int64_t i = 0; i < want.numel(); ++i) EXPECT_EQ(got.item(i), want.item(i)) << i;
}

TEST(OnnxImport, AFileEditedAfterExportIsReadFromItsGraphNotItsConfig) {
    Sequential model(2, {Dense(4, "relu"), Dense(1)}, {.seed = 2});
    const std::string path = temp_path("edited");
    model.export_onnx(path);
    onnx::ModelProto file = read(path);
    for (auto& n : *file.mutable_graph()->mutable_node())
        if (n.op_type() == "Relu") n.set_op_type("Tanh");  // the config still says relu
    write(path, file.SerializeAsString());
    const Sequential back = Sequential::load_onnx(path);
    fs::remove(path);
    Sequential tanh(2, {Dense(4, "tanh"), Dense(1)});
    tanh.set_weights(model.get_weights());
    const Tensor want = tanh.predict(rows().view()), got = back.predict(rows().view());
    for (std::int64_t i = 0; i < want.numel(); ++i) EXPECT_EQ(got.item(i), want.item(i)) << i;
}

TEST(OnnxImport, AForeignChainBecomesDenseLayersWithTheirActivations) {
    Graph g(2, 3);
    g.weight("w1", {4, 2}, {1, 0, 0, 1, -1, 0, 0.5f, 0.5f});  // PyTorch's (out, in), transB
    g.weight("b1", {4}, {0.1f, 0.2f, 0.3f, 0.4f});
    auto& gemm = g.node("Gemm", {"x", "w1", "b1"}, "z1");
    auto* trans = gemm.add_attribute();
    trans->set_name("transB");
    trans->set_type(onnx::AttributeProto::INT);
    trans->set_i(1);
    g.node("Relu", {"z1"}, "h1");
    g.node("Dropout", {"h1"}, "d1");
    g.weight("w2", {4, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    g.node("MatMul", {"d1", "w2"}, "z2");
    g.weight("b2", {3}, {-1, 0, 1});
    g.node("Add", {"b2", "z2"}, "z3");  // the bias on the left: Add commutes
    g.node("Softmax", {"z3"}, "y");
    const Sequential model = Sequential::load_onnx(g.save("foreign"));
    fs::remove(temp_path("foreign"));
    ASSERT_EQ(model.size(), 2u);
    EXPECT_EQ(model.layer(0).label(), "dense_1 (Dense 2->4)");
    EXPECT_EQ(dynamic_cast<const Dense&>(model.layer(0)).activation().str(), "relu");
    EXPECT_EQ(dynamic_cast<const Dense&>(model.layer(1)).activation().str(), "softmax");
    // Row (0.5, -1): relu(W1 x + b1) by hand, then softmax(h W2 + b2).
    const double h[4] = {0.6, 0.0, 0.0, 0.15};
    double z[3], total = 0.0;
    for (int o = 0; o < 3; ++o) {
        z[o] = (o - 1.0);
        for (int i = 0; i < 4; ++i) z[o] += h[i] * (1 + i * 3 + o);
        total += std::exp(z[o]);
    }
    const Tensor y = model.predict(rows().view());
    for (int o = 0; o < 3; ++o) EXPECT_NEAR(y.item(o), std::exp(z[o]) / total, 1e-6) << o;
}

TEST(OnnxImport, WeightsBehindATransposeIdentityOrCastAreFolded) {
    Graph g(2, 3);  // as exporters that skip constant folding leave them
    g.weight("w", {3, 2}, {1, 2, 3, 4, 5, 6});
    auto& t = g.node("Transpose", {"w"}, "w_t");
    auto* perm = t.add_attribute();
    perm->set_name("perm");
    perm->set_type(onnx::AttributeProto::INTS);
    perm->add_ints(1);
    perm->add_ints(0);
    g.weight("b", {3}, {0.5f, -0.5f, 1});
    g.node("Identity", {"b"}, "b_same");
    auto& cast = g.node("Cast", {"b_same"}, "b_float");
    auto* to = cast.add_attribute();
    to->set_name("to");
    to->set_type(onnx::AttributeProto::INT);
    to->set_i(onnx::TensorProto::FLOAT);
    g.node("MatMul", {"x", "w_t"}, "z");
    g.node("Add", {"z", "b_float"}, "y");
    const Sequential model = Sequential::load_onnx(g.save("folded"));
    fs::remove(temp_path("folded"));
    ASSERT_EQ(model.size(), 1u);
    const Tensor y = model.predict(rows().view());  // row (0.5, -1): W (3, 2) times x, plus b
    EXPECT_FLOAT_EQ(y.item(0), 0.5f * 1 - 2 + 0.5f);
    EXPECT_FLOAT_EQ(y.item(1), 0.5f * 3 - 4 - 0.5f);
    EXPECT_FLOAT_EQ(y.item(2), 0.5f * 5 - 6 + 1);
}

TEST(OnnxImport, MalformedFilesFailNamingTheFileAndTheNode) {
    const std::string garbage = temp_path("not_protobuf");
    write(garbage, "not an ONNX model, a text file\n");
    expect_refused(garbage, {"not an ONNX model", "protobuf"});

    onnx::ModelProto empty;
    empty.add_opset_import()->set_version(17);
    const std::string no_graph = temp_path("no_graph");
    write(no_graph, empty.SerializeAsString());
    expect_refused(no_graph, {"no graph"});

    Graph conv(2, 2);
    conv.weight("k", {2, 2, 1}, {1, 2, 3, 4});
    conv.node("Conv", {"x", "k"}, "y");
    expect_refused(conv.save("unknown_op"), {"node 'y_node' (Conv)", "operator Conv has no mlp layer"});

    Graph mismatch(2, 3);
    mismatch.weight("w", {5, 3}, std::vector<float>(15, 0.5f));
    mismatch.node("Gemm", {"x", "w"}, "y");
    expect_refused(mismatch.save("shape_mismatch"),
                   {"node 'y_node' (Gemm)", "shape mismatch", "(5, 3)", "input 'x' has 2"});

    Graph wrong_size(2, 3);
    wrong_size.weight("w", {2, 3}, {1, 2, 3, 4});
    wrong_size.node("MatMul", {"x", "w"}, "y");
    expect_refused(wrong_size.save("wrong_size"),
                   {"node 'y_node' (MatMul)", "initializer 'w'", "holds 4 values", "(2, 3) need 6"});
}

TEST(OnnxImport, GraphsMlpCannotRepresentFailNamingTheNode) {
    Graph fork(2, 2);  // two activations of x added: a fork that no residual block makes
    fork.node("Relu", {"x"}, "a");
    fork.node("Tanh", {"x"}, "b");
    fork.node("Add", {"a", "b"}, "y");
    expect_refused(fork.save("fork"), {"value 'x' feeds 2 nodes", "residual"});

    Graph log_softmax(2, 2);
    log_softmax.weight("w", {2, 2}, {1, 0, 0, 1});
    log_softmax.node("MatMul", {"x", "w"}, "z");
    log_softmax.node("LogSoftmax", {"z"}, "y");
    expect_refused(log_softmax.save("log_softmax"), {"node 'y_node' (LogSoftmax)", "log-softmax"});

    Graph product(2, 2);  // x times x: the weight is not a constant
    product.node("MatMul", {"x", "x"}, "y");
    expect_refused(product.save("product"), {"node 'y_node' (MatMul)", "'x' is not a constant"});

    Graph two_inputs(2, 2);
    two_inputs.model().mutable_graph()->add_input()->CopyFrom(two_inputs.model().graph().input(0));
    two_inputs.node("Relu", {"x"}, "y");
    expect_refused(two_inputs.save("two_inputs"), {"2 inputs"});

    Graph opset(2, 2);
    opset.model().mutable_opset_import(0)->set_version(5);
    opset.node("Relu", {"x"}, "y");
    expect_refused(opset.save("opset"), {"opset 5"});

    expect_refused(temp_path("missing"), {"cannot open"});
}

}  // namespace mlp
