// Model files that stay readable: the committed golden files of format
// versions 1 and 2 load and predict as they did (2 with its input spec); the
// input spec survives save, checkpoint and resume; newer versions, mismatched architectures and
// damaged headers fail with messages naming the file and the problem; PyTorch
// state_dicts load into the same architecture.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "../test_util.hpp"
#include "mlp/mlp.hpp"

namespace mlp {

namespace {

namespace fs = std::filesystem;
const std::string golden = std::string(MLP_GOLDEN_DIR) + "/model_v1.safetensors";

std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string write_temp(const std::string& name, const std::string& bytes) {
    const std::string path = (fs::temp_directory_path() / ("mlp_model_file_test_" + name)).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
}

/// A golden file with one piece of its header replaced by another of the same length.
std::string edited_file(const std::string& source, const std::string& name, const std::string& from,
                        const std::string& to) {
    std::string bytes = read_bytes(source);
    const auto at = bytes.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    EXPECT_EQ(from.size(), to.size());
    if (at != std::string::npos) bytes.replace(at, from.size(), to);
    return write_temp(name, bytes);
}

std::string edited_golden(const std::string& name, const std::string& from, const std::string& to) {
    return edited_file(golden, name, from, to);
}

std::string edited_golden_v2(const std::string& name, const std::string& from, const std::string& to) {
    return edited_file(std::string(MLP_GOLDEN_DIR) + "/model_v2.safetensors", name, from, to);
}

/// A safetensors file from a header and a number of data bytes.
std::string safetensors_bytes(const std::string& header, std::size_t data_bytes) {
    std::string out(8, '\0');
    for (int i = 0; i < 8; ++i) out[static_cast<std::size_t>(i)] = static_cast<char>((header.size() >> (8 * i)) & 0xFF);
    return out + header + std::string(data_bytes, '\0');
}

/// A JSON string literal of `text`.
std::string json_quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) out += c == '"' ? std::string("\\\"") : std::string(1, c);
    return out + "\"";
}

void expect_load_error(const std::string& path, const std::vector<std::string>& words) {
    try {
        Sequential::load(path);
        ADD_FAILURE() << "loading " << path << " did not fail";
    } catch (const Error& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(path), std::string::npos) << message;
        for (const auto& w : words) EXPECT_NE(message.find(w), std::string::npos) << message;
    }
}

}  // namespace

TEST(GoldenFile, VersionOneStillLoadsAndPredicts) {
    const Sequential model = Sequential::load(golden);
    const Tensor x = data::load_npy(std::string(MLP_GOLDEN_DIR) + "/x.npy");
    const Tensor expected = data::load_npy(std::string(MLP_GOLDEN_DIR) + "/predictions.npy");
    EXPECT_LT(test::relative_error(model.predict(x), expected), 1e-6);
    EXPECT_EQ(model.size(), 11u);
    EXPECT_GT(model.progress().epoch, 0);  // the training progress came back too
}

TEST(GoldenFile, VersionTwoLoadsWithItsInputSpec) {
    const Sequential model = Sequential::load(std::string(MLP_GOLDEN_DIR) + "/model_v2.safetensors");
    const Tensor x = data::load_npy(std::string(MLP_GOLDEN_DIR) + "/x_v2.npy");
    const Tensor expected = data::load_npy(std::string(MLP_GOLDEN_DIR) + "/predictions_v2.npy");
    EXPECT_LT(test::relative_error(model.predict(x), expected), 1e-6);
    const data::InputSpec spec = model.input_spec();
    EXPECT_EQ(spec.features, 4);
    EXPECT_EQ(spec.feature_names(), (std::vector<std::string>{"x1", "side=left", "side=right", "x2"}));
    ASSERT_EQ(spec.columns.size(), 3u);
    EXPECT_EQ(spec.columns[1].categories, (std::vector<std::string>{"left", "right"}));
    EXPECT_EQ(spec.label, "arm");
    EXPECT_EQ(spec.label_position, 3);
    EXPECT_EQ(spec.task, "classification");
    EXPECT_EQ(spec.class_names, (std::vector<std::string>{"blue", "green", "red"}));
    EXPECT_EQ(spec.scaling, "minmax");  // from the first layer
    EXPECT_NE(model.summary_text().find("side: one-hot over 2 categories (left, right)"), std::string::npos)
        << model.summary_text();
}

TEST(GoldenFile, VersionOneHasNoInputSpec) { EXPECT_TRUE(Sequential::load(golden).input_spec().empty()); }

TEST(ModelFile, InputSpecSurvivesSaveCheckpointAndResume) {
    const auto text =
        std::string("a,color,b,kind\n") + "1,red,2,x\n" + "2,blue,1,y\n" + "0,red,0,x\n" + "3,green,1,y\n";
    const auto train = data::parse_csv(text, {.label = "kind", .categorical = {"color"}});
    Sequential model(train.features(), {Dense(4, "relu"), Dense(2, "softmax")});
    model.set_input_spec(train.input_spec());
    model.compile(Adam{}, "sparse_categorical_crossentropy");
    const std::string checkpoint = (fs::temp_directory_path() / "mlp_spec_checkpoint.safetensors").string();
    model.fit(train.x, train.y, {.epochs = 2, .batch_size = 2, .verbose = 0, .checkpoint = checkpoint});
    Sequential resumed = Sequential::load(checkpoint);
    EXPECT_EQ(resumed.input_spec(), model.input_spec());
    resumed.fit(train.x, train.y, {.epochs = 4, .batch_size = 2, .verbose = 0, .resume = true});
    const std::string inference = (fs::temp_directory_path() / "mlp_spec_model.safetensors").string();
    resumed.save(inference, {.include_optimizer = false});
    const data::InputSpec spec = Sequential::load(inference).input_spec();
    EXPECT_EQ(spec, model.input_spec());
    EXPECT_EQ(spec.feature_names(), (std::vector<std::string>{"a", "color=blue", "color=green", "color=red", "b"}));
    EXPECT_EQ(spec.class_names, (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(spec.label_position, 3);
    fs::remove(checkpoint);
    fs::remove(inference);
}

TEST(ModelFile, InputSpecMustFitTheModel) {
    Sequential model(3, {Dense(2, "softmax")});
    model.set_input_spec({.features = 3, .task = "classification", .class_names = {"a"}});  // more outputs: fine
    data::InputSpec wide{.features = 4};
    EXPECT_THROW(model.set_input_spec(wide), ShapeError);
    data::InputSpec three_classes{.features = 3, .task = "classification", .class_names = {"a", "b", "c"}};
    try {
        model.set_input_spec(three_classes);
        ADD_FAILURE() << "3 classes on 2 outputs did not fail";
    } catch (const ShapeError& e) {
        EXPECT_NE(
            std::string(e.what()).find("3 classes (a, b, c), but the last layer, dense_1 (Dense 3->2), has 2 outputs"),
            std::string::npos)
            << e.what();
    }
}

TEST(ModelFile, SeveralTargetsAreKeptAndMustMatchTheOutputs) {
    const data::Dataset train = data::parse_csv("a,b,y1,y2\n1,2,3,4\n5,6,7,8\n", {.labels = {"y1", "y2"}});
    Sequential one(2, {Dense(1)});
    try {
        one.set_input_spec(train.input_spec());
        ADD_FAILURE() << "2 targets on 1 output did not fail";
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("2 targets (y1, y2), but the last layer, dense_1 (Dense 2->1), has 1 "
                                             "output; give it 2 units"),
                  std::string::npos)
            << e.what();
    }
    Sequential two(2, {Dense(2)});
    two.set_input_spec(train.input_spec());
    const std::string path = (fs::temp_directory_path() / "mlp_model_file_targets.safetensors").string();
    two.save(path);
    EXPECT_EQ(Sequential::load(path).input_spec().targets, (std::vector<std::string>{"y1", "y2"}));
    fs::remove(path);
}

TEST(ModelFile, DivergedWeightsAreNeverSaved) {
    Sequential model(2, {Dense(3, "relu"), Dense(1)});
    const std::string path = (fs::temp_directory_path() / "mlp_diverged.safetensors").string();
    model.save(path);
    const std::string good = read_bytes(path);
    model.layer(1).parameters()[0].value.data<float>()[2] = std::numeric_limits<float>::infinity();
    for (const bool weights_only : {false, true}) {
        try {
            weights_only ? model.save_weights(path) : model.save(path);
            ADD_FAILURE() << "a model with an Inf weight was saved";
        } catch (const NumericError& e) {
            EXPECT_NE(std::string(e.what()).find(path + ": not written: dense_2.kernel holds inf (element 2)"),
                      std::string::npos)
                << e.what();
        }
        EXPECT_EQ(read_bytes(path), good);  // the file before is kept
    }
    fs::remove(path);
}

TEST(ModelConfig, UnknownKeysAreErrorsAndKerasBiasInitializerActs) {
    auto error_of = [](const std::string& config) {
        try {
            Sequential::from_json(config);
        } catch (const ConfigError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(error_of(R"({"inputs":2,"layers":[{"type":"Dense","units":1,"bogus_key":3}]})")
                  .find("layer 1 (Dense): unknown key \"bogus_key\" (known: type, name, units"),
              std::string::npos);
    EXPECT_NE(error_of(R"({"inputs":2,"layer":[]})").find("model config: unknown key \"layer\""), std::string::npos);
    EXPECT_NE(error_of(R"({"inputs":2,"layers":[{"type":"Dense","units":1}],"compile":{"optimizer":)"
                       R"({"name":"adam","momentum":0.9},"loss":{"name":"mse"}}})")
                  .find("\"optimizer\": unknown key \"momentum\" for adam"),
              std::string::npos);
    const Sequential model =
        Sequential::from_json(R"({"inputs":2,"layers":[{"type":"Dense","units":3,"bias_initializer":"ones"}]})");
    for (std::int64_t j = 0; j < 3; ++j) EXPECT_EQ(model.layer(0).parameters()[1].value.item(j), 1.0);
    EXPECT_NE(model.to_json().find("\"bias_initializer\": \"ones\""), std::string::npos);
}

TEST(ModelFile, SavingRemovesTemporariesOfKilledSaves) {
    const std::string path = (fs::temp_directory_path() / "mlp_stale.safetensors").string();
    const std::string stale = path + ".tmp-4194305-0";  // past Linux's largest pid: no such process
    const std::string live = path + ".tmp-" + std::to_string(::getpid()) + "-999";
    std::ofstream(stale) << "half a model";
    std::ofstream(live) << "another save of this process, under way";
    Sequential model(2, {Dense(1)});
    model.save(path);
    EXPECT_FALSE(fs::exists(stale));
    EXPECT_TRUE(fs::exists(live));
    EXPECT_NO_THROW(Sequential::load(path));
    for (const auto& p : {path, live}) fs::remove(p);
}

TEST(ModelFile, MalformedInputSpecNamesTheFile) {
    const std::string path = edited_golden_v2("spec.safetensors", R"({\"features\":4)", R"({\"features\":5)");
    expect_load_error(path, {"input spec is malformed", "the columns give 4 features"});
    fs::remove(path);
}

TEST(GoldenFile, NewerFormatVersionFailsSayingSo) {
    const std::string path = edited_golden("newer.safetensors", "\"format_version\":\"1\"", "\"format_version\":\"9\"");
    expect_load_error(path, {"format version 9", "upgrade mlp"});
    fs::remove(path);
}

TEST(ModelFile, ArchitectureNotMatchingTheTensorsIsAnError) {
    const std::string path = edited_golden("mismatch.safetensors", "\\\"units\\\":16", "\\\"units\\\":17");
    expect_load_error(path, {"architecture does not match", "dense_1.kernel"});
    fs::remove(path);
}

TEST(ModelFile, DamagedHeadersAreErrors) {
    const std::string overlap =
        write_temp("overlap.safetensors", safetensors_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                                            R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                                            12));
    expect_load_error(overlap, {"'a' and 'b' overlap"});
    const std::string past_end = write_temp(
        "past_end.safetensors", safetensors_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", 4));
    expect_load_error(past_end, {"tensor 'a'", "outside the 4 data bytes"});
    const std::string long_header = write_temp("long.safetensors", safetensors_bytes("{}", 0).substr(0, 8) + "{}");
    std::string bytes = read_bytes(long_header);
    bytes[0] = 100;
    std::ofstream(long_header, std::ios::binary) << bytes;
    expect_load_error(long_header, {"header length 100 runs past the end"});
    expect_load_error("/nonexistent/model.safetensors", {"cannot open"});
    for (const auto& p : {overlap, past_end, long_header}) fs::remove(p);
}

TEST(ModelFile, ConfigErrorsNameTheFile) {
    auto model_file = [](const std::string& name, const std::string& config) {
        const std::string metadata =
            R"({"__metadata__":{"format":"mlp.model","format_version":"1","config":)" + json_quoted(config) + "}}";
        return write_temp(name, safetensors_bytes(metadata, 0));
    };
    // A seed past any integer type (a float in JSON) once reached an undefined cast.
    const std::string seed =
        model_file("seed.safetensors", R"({"inputs":2,"seed":1e300,"layers":[{"type":"Dense","units":1}]})");
    expect_load_error(seed, {"\"seed\" must be an integer"});
    const std::string units =
        model_file("units.safetensors", R"({"inputs":2,"layers":[{"type":"Dense","units":1000000000000}]})");
    expect_load_error(units, {"layer 1", "units"});
    const std::string kind = model_file("kind.safetensors", R"({"inputs":2,"layers":[{"type":"Conv2D"}]})");
    expect_load_error(kind, {"layer 1: unknown layer type 'Conv2D'"});
    for (const auto& p : {seed, units, kind}) fs::remove(p);
}

TEST(TorchStateDict, LoadsIntoTheSameArchitecture) {
    const std::string dir = MLP_REFERENCE_DIR;
    Sequential model(4, {Dense(8), BatchNormalization({.epsilon = 1e-5}), Activation("relu"), Dropout(0.1), Dense(3)});
    model.load_torch_weights(dir + "/torch_state_dict.safetensors");
    const Tensor x = data::load_npy(dir + "/torch_state_dict_x.npy");
    const Tensor y = data::load_npy(dir + "/torch_state_dict_y.npy");
    EXPECT_LT(test::relative_error(model.predict(x), y), 1e-6);
    // the wrong architecture is named
    Sequential other(4, {Dense(8), Dense(3)});
    try {
        other.load_torch_weights(dir + "/torch_state_dict.safetensors");
        ADD_FAILURE();
    } catch (const IOError& e) {
        EXPECT_NE(std::string(e.what()).find("BatchNorm"), std::string::npos) << e.what();
    }
}

}  // namespace mlp
