// The playground's session: settings to data, features and model; training by
// fit() with resume, one epoch or one batch at a time; what the page draws.
#include "session.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "mlp/callbacks/callbacks.hpp"
#include "mlp/core/error.hpp"
#include "mlp/data/preprocessing.hpp"
#include "mlp/data/synthetic.hpp"
#include "mlp/nn/activation.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dropout.hpp"

namespace mlp::playground {

using nlohmann::json;

namespace {

const std::vector<std::string> data_sets{"xor", "circles", "moons", "spirals", "blobs", "regression"};

/// Each input feature the page offers, from a point's coordinates.
const std::map<std::string, FeatureFunction>& feature_functions() {
    static const std::map<std::string, FeatureFunction> f{{"x1", [](double a, double) { return a; }},
                                                          {"x2", [](double, double b) { return b; }},
                                                          {"x1^2", [](double a, double) { return a * a; }},
                                                          {"x2^2", [](double, double b) { return b * b; }},
                                                          {"x1x2", [](double a, double b) { return a * b; }},
                                                          {"sin(x1)", [](double a, double) { return std::sin(a); }},
                                                          {"sin(x2)", [](double, double b) { return std::sin(b); }}};
    return f;
}

std::string join(const std::vector<std::string>& names) {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
    return s;
}

/// Throws ConfigError for a key the settings do not have: a typo in a URL is
/// said, not ignored.
void require_known(const json& object, const std::vector<std::string>& known, const std::string& where) {
    if (!object.is_object()) throw ConfigError(where + " must be a JSON object");
    for (const auto& [key, value] : object.items())
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw ConfigError(where + ": unknown setting \"" + key + "\" (known: " + join(known) + ")");
}

double number(const json& object, const char* key, double fallback, double lo, double hi, const std::string& where) {
    if (!object.contains(key)) return fallback;
    const json& v = object.at(key);
    if (!v.is_number()) throw ConfigError(where + std::string(key) + " must be a number, got " + v.dump());
    const double x = v.get<double>();
    if (!(x >= lo && x <= hi)) {
        char range[64];
        std::snprintf(range, sizeof range, "[%g, %g]", lo, hi);
        throw ConfigError(where + std::string(key) + " must be in " + range + ", got " + v.dump());
    }
    return x;
}

std::int64_t whole(const json& object, const char* key, std::int64_t fallback, std::int64_t lo, std::int64_t hi,
                   const std::string& where) {
    const double x =
        number(object, key, static_cast<double>(fallback), static_cast<double>(lo), static_cast<double>(hi), where);
    if (x != std::floor(x))
        throw ConfigError(where + std::string(key) + " must be a whole number, got " + json(x).dump());
    return static_cast<std::int64_t>(x);
}

std::string text(const json& object, const char* key, const std::string& fallback, const std::string& where) {
    if (!object.contains(key)) return fallback;
    if (!object.at(key).is_string())
        throw ConfigError(where + std::string(key) + " must be a string, got " + object.at(key).dump());
    return object.at(key).get<std::string>();
}

data::Dataset make_data(const std::string& name, std::int64_t points, double noise, int classes, std::uint64_t seed) {
    if (name == "xor") return data::xor_quadrants(points, noise, seed);
    if (name == "circles") return data::circles(points, noise, seed);
    if (name == "moons") return data::moons(points, noise, seed);
    if (name == "spirals") return data::spirals(points, classes, noise, seed);
    if (name == "blobs") return data::blobs(points, classes, seed, 2, 1.0 + 4.0 * noise);
    return data::sine(points, noise, seed);
}

}  // namespace

Session::Session(const json& s) {
    require_known(s,
                  {"data", "features", "layers", "initializer", "l1", "l2", "dropout", "batch_norm", "optimizer", "lr",
                   "batch_size", "seed"},
                  "settings");
    const json d = s.value("data", json::object());
    require_known(d, {"name", "points", "noise", "test_fraction", "classes", "seed"}, "data");
    const std::string name = text(d, "name", "moons", "data: ");
    if (std::find(data_sets.begin(), data_sets.end(), name) == data_sets.end())
        throw ConfigError("data: no data set \"" + name + "\" (known: " + join(data_sets) + ")");
    const bool regression = name == "regression";
    const std::int64_t points = whole(d, "points", 1000, 10, max_points, "data: ");
    const double noise = number(d, "noise", 0.2, 0, 2, "data: ");
    const double test_fraction = number(d, "test_fraction", 0.5, 0, 0.9, "data: ");
    const bool has_classes = name == "spirals" || name == "blobs";
    const int classes = static_cast<int>(whole(d, "classes", 2, 2, has_classes ? 6 : 2, "data: "));
    const auto data_seed = static_cast<std::uint64_t>(whole(d, "seed", 0, 0, 1'000'000'000, "data: "));

    const json f = s.value("features", json::array({"x1", "x2"}));
    if (!f.is_array() || f.empty()) throw ConfigError("features: choose at least one input feature");
    for (const json& feature : f) {
        const std::string n = feature.is_string() ? feature.get<std::string>() : feature.dump();
        if (!feature_functions().contains(n)) {
            std::vector<std::string> known;
            for (const auto& [k, v] : feature_functions()) known.push_back(k);
            throw ConfigError("features: no feature \"" + n + "\" (known: " + join(known) + ")");
        }
        if (regression && n.find("x2") != std::string::npos)
            throw ConfigError("features: " + n + " needs two inputs; the regression data set has one, x1");
        if (std::find(features_.begin(), features_.end(), n) != features_.end())
            throw ConfigError("features: " + n + " is chosen twice");
        features_.push_back(n);
        feature_functions_.push_back(feature_functions().at(n));
    }

    const json layers = s.value("layers", json::array({{{"units", 16}, {"activation", "tanh"}}}));
    if (!layers.is_array()) throw ConfigError("layers must be a list of {units, activation}");
    if (layers.size() > static_cast<std::size_t>(max_hidden_layers))
        throw ConfigError("layers: at most " + std::to_string(max_hidden_layers) +
                          " hidden layers in the playground, " + std::to_string(layers.size()) + " asked");
    const std::string initializer = text(s, "initializer", "auto", "");
    const double l1 = number(s, "l1", 0, 0, 10, ""), l2 = number(s, "l2", 0, 0, 10, "");
    const double dropout = number(s, "dropout", 0, 0, 0.95, "");
    if (s.contains("batch_norm") && !s["batch_norm"].is_boolean())
        throw ConfigError("batch_norm must be true or false, got " + s["batch_norm"].dump());
    const bool batch_norm = s.value("batch_norm", false);
    const std::string optimizer = text(s, "optimizer", "adam", "");
    const double lr = number(s, "lr", 0.01, 1e-12, 1e12, "");
    batch_size_ = whole(s, "batch_size", 10, 1, max_points, "");
    const auto seed = static_cast<std::uint64_t>(whole(s, "seed", 0, 0, 1'000'000'000, ""));

    // The data, split as scikit-learn would (stratified for classes), and the features.
    const data::Dataset all = make_data(name, points, noise, classes, data_seed);
    if (test_fraction > 0) {
        auto [train, test] = data::train_test_split(all, test_fraction, data_seed, {.stratify = !regression});
        train_ = std::move(train);
        test_ = std::move(test);
    } else {
        train_ = all;
    }
    train_features_ = features_of(train_.x);
    if (test_.size() > 0) test_features_ = features_of(test_.x);

    // The drawing domain: a square around the points with a margin (the
    // regression's y range from its targets).
    double lo[2] = {1e300, 1e300}, hi[2] = {-1e300, -1e300};
    for (std::int64_t i = 0; i < all.size(); ++i)
        for (int k = 0; k < 2; ++k) {
            const double v = regression ? (k == 0 ? all.x.item(i) : all.y.item(i)) : all.x.item(2 * i + k);
            lo[k] = std::min(lo[k], v);
            hi[k] = std::max(hi[k], v);
        }
    const double half = 0.55 * std::max(hi[0] - lo[0], hi[1] - lo[1]);
    for (int k = 0; k < 2; ++k) {
        const double middle = 0.5 * (lo[k] + hi[k]);
        const double h = regression ? 0.55 * (hi[k] - lo[k]) + 0.05 : half;
        domain_[2 * k] = middle - h;
        domain_[2 * k + 1] = middle + h;
    }

    // The model: the hidden layers as chosen, the output the task needs.
    model_ = Sequential(static_cast<std::int64_t>(features_.size()), {.seed = seed});
    const DenseOptions dense{.init = initializer, .kernel_regularizer = {.l1 = l1, .l2 = l2}};
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string where = "layer " + std::to_string(i + 1) + ": ";
        const json& layer = layers[i];
        require_known(layer, {"units", "activation"}, "layer " + std::to_string(i + 1));
        const std::int64_t units = whole(layer, "units", 0, 1, max_units, where);
        const std::string activation = text(layer, "activation", "relu", where);
        DrawnLayer drawn{.units = units, .activation = activation};
        drawn.dense_layer = model_.size();
        if (batch_norm) {  // Dense, then normalization, then the activation (Ioffe & Szegedy)
            model_.add(Dense(units, "linear", dense));
            model_.add(BatchNormalization());
            model_.add(Activation(activation));
        } else {
            model_.add(Dense(units, activation, dense));
        }
        drawn.output_layer = model_.size() - 1;
        drawn_.push_back(drawn);
        if (dropout > 0) model_.add(Dropout(dropout));
    }
    const std::int64_t outputs = regression ? 1 : classes == 2 ? 1 : classes;
    const std::string output = regression ? "linear" : classes == 2 ? "sigmoid" : "softmax";
    drawn_.push_back(
        {.output_layer = model_.size(), .dense_layer = model_.size(), .units = outputs, .activation = output});
    model_.add(Dense(outputs, output, dense));

    OptimizerOptions chosen = optimizer_from_name(optimizer);
    std::visit([&](auto& o) { o.lr = lr; }, chosen);
    const std::string loss = regression     ? "mse"
                             : classes == 2 ? "binary_crossentropy"
                                            : "sparse_categorical_crossentropy";
    model_.compile(chosen, loss, regression ? std::vector<std::string>{} : std::vector<std::string>{"accuracy"});
    model_.build(static_cast<std::int64_t>(features_.size()));
    // What `mlp predict` on the exported file shows: the features by name, the task.
    data::InputSpec spec = train_.description().input_spec();
    spec.features = static_cast<std::int64_t>(features_.size());
    for (const std::string& feature : features_) spec.columns.push_back({feature});
    model_.set_input_spec(spec);
    monitor_ = std::make_shared<TrainingMonitor>(train_features_.rows(0, std::min<std::int64_t>(train_.size(), 256)));

    settings_ = {{"data",
                  {{"name", name},
                   {"points", points},
                   {"noise", noise},
                   {"test_fraction", test_fraction},
                   {"classes", classes},
                   {"seed", data_seed}}},
                 {"features", features_},
                 {"layers", layers},
                 {"initializer", initializer},
                 {"l1", l1},
                 {"l2", l2},
                 {"dropout", dropout},
                 {"batch_norm", batch_norm},
                 {"optimizer", optimizer},
                 {"lr", lr},
                 {"batch_size", batch_size_},
                 {"seed", seed}};
}

Tensor Session::features_of(const TensorView& raw) const {
    const std::int64_t n = raw.rows(), inputs = raw.shape().rank() == 2 ? raw.cols() : 1;
    Tensor out(Shape{n, static_cast<std::int64_t>(features_.size())});
    float* o = out.data<float>();
    for (std::int64_t i = 0; i < n; ++i) {
        const double a = raw.item(i * inputs), b = inputs > 1 ? raw.item(i * inputs + 1) : 0.0;
        for (std::size_t k = 0; k < features_.size(); ++k) *o++ = static_cast<float>(feature_functions_[k](a, b));
    }
    return out;
}

void Session::fit(int epochs, bool one_batch) {
    if (!diverged_.empty()) return;
    FitOptions options{
        .epochs = epoch_ + epochs,
        .batch_size = batch_size_,
        .verbose = 0,
        .callbacks = {monitor_, LambdaCallback{.on_epoch_end = [this](TrainingState&) { record_epoch(); }}},
        .resume = true};
    if (one_batch) {
        // A step that finished an epoch's batches left that epoch to close:
        // this call closes it and takes the first step of the next.
        const std::int64_t batches = (train_.size() + batch_size_ - 1) / batch_size_;
        if (model_.progress().batch == batches) options.epochs += 1;
        options.stop_requested = [] { return true; };  // after the first batch
    }
    try {
        const std::int64_t before = model_.progress().step;
        model_.fit(train_features_, train_.y, options);
        steps_ += model_.progress().step - before;
    } catch (const NumericError& e) {
        diverged_ = e.what();
    }
}

void Session::train_epochs(int epochs) { fit(epochs, false); }

void Session::train_batches(int batches) {
    for (int i = 0; i < batches && diverged_.empty(); ++i) fit(1, true);
}

void Session::record_epoch() {
    ++epoch_;
    const Scores train = model_.evaluate(train_features_, train_.y);
    train_loss_.push_back(train.loss());
    if (train.contains("accuracy")) train_accuracy_.push_back(train["accuracy"]);
    if (test_.size() > 0) {
        const Scores test = model_.evaluate(test_features_, test_.y);
        test_loss_.push_back(test.loss());
        if (test.contains("accuracy")) test_accuracy_.push_back(test["accuracy"]);
    }
}

json Session::layout() const {
    json points = json::array();
    auto add = [&](const data::Dataset& d, bool test) {
        const bool one_input = d.features() == 1;
        for (std::int64_t i = 0; i < d.size(); ++i)
            points.push_back({d.x.item(one_input ? i : 2 * i), one_input ? d.y.item(i) : d.x.item(2 * i + 1),
                              one_input ? 0.0 : d.y.item(i), test ? 1 : 0});
    };
    add(train_, false);
    add(test_, true);
    json layers = json::array();
    for (const DrawnLayer& d : drawn_)
        layers.push_back(
            {{"units", d.units}, {"activation", d.activation}, {"name", model_.layer(d.dense_layer).name()}});
    json warnings = json::array();
    if (const double lr = settings_["lr"]; lr > 10) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", lr);
        warnings.push_back("a learning rate of " + std::string(text) +
                           " is far beyond what trains (0.0001 to 1 usually): expect the loss to jump about or "
                           "stop being a number");
    }
    if (const std::int64_t n = model_.parameter_count(); n > 100'000)
        warnings.push_back("this network has " + std::to_string(n) +
                           " parameters: the browser trains it slowly, batch by batch, and draws it coarsely");
    return {{"settings", settings_},
            {"regression", train_.classes == 0},
            {"classes", train_.classes},
            {"domain", {domain_[0], domain_[1], domain_[2], domain_[3]}},
            {"points", points},
            {"train_size", train_.size()},
            {"test_size", test_.size()},
            {"layers", layers},
            {"summary", model_.summary_text()},
            {"parameters", model_.parameter_count()},
            {"batches_per_epoch", (train_.size() + batch_size_ - 1) / batch_size_},
            {"warnings", warnings}};
}

json Session::progress(int since) const {
    auto from = [since](const std::vector<double>& v) {
        return std::vector<double>(v.begin() + std::clamp<std::ptrdiff_t>(since, 0, std::ssize(v)), v.end());
    };
    json gradient = json::array(), dead = json::array();
    for (const DrawnLayer& d : drawn_) {
        if (monitor_->layers().empty()) {
            gradient.push_back(json::array());
            dead.push_back(json::array());
            continue;
        }
        gradient.push_back(from(monitor_->layers()[d.dense_layer].gradient_norm));
        dead.push_back(from(monitor_->layers()[d.output_layer].dead_fraction));
    }
    json p{{"epoch", epoch_},
           {"since", since},
           {"step", steps_},
           {"batch", model_.progress().batch},
           {"train_loss", from(train_loss_)},
           {"test_loss", from(test_loss_)},
           {"train_accuracy", from(train_accuracy_)},
           {"test_accuracy", from(test_accuracy_)},
           {"gradient_norm", gradient},
           {"dead_fraction", dead}};
    if (!diverged_.empty()) p["diverged"] = diverged_;
    return p;
}

std::vector<float> Session::neuron_grids(int resolution, bool output_only) const {
    resolution = std::clamp(resolution, 2, 400);
    const bool one_input = train_.features() == 1;
    const std::int64_t g = one_input ? resolution : static_cast<std::int64_t>(resolution) * resolution;
    Tensor raw(Shape{g, one_input ? 1 : 2});
    float* r = raw.data<float>();
    const double step_x = (domain_[1] - domain_[0]) / (resolution - 1),
                 step_y = (domain_[3] - domain_[2]) / (resolution - 1);
    for (std::int64_t i = 0; i < g; ++i) {
        if (one_input) {
            r[i] = static_cast<float>(domain_[0] + step_x * static_cast<double>(i));
        } else {
            r[2 * i] = static_cast<float>(domain_[0] + step_x * static_cast<double>(i % resolution));
            r[2 * i + 1] = static_cast<float>(domain_[3] - step_y * static_cast<double>(i / resolution));
        }
    }
    std::vector<float> out;
    Tensor h = features_of(raw);
    std::size_t next = 0;
    for (std::size_t i = 0; i < model_.size() && next < drawn_.size(); ++i) {
        const Layer& layer = model_.layer(i);
        Tensor y(Shape{g, layer.out_features()});
        layer.infer(h, y);
        if (drawn_[next].output_layer == i && (!output_only || next + 1 == drawn_.size())) {
            const std::int64_t units = y.cols();
            const float* v = y.data<float>();
            for (std::int64_t u = 0; u < std::min(units, max_drawn_units); ++u)
                for (std::int64_t k = 0; k < g; ++k) out.push_back(v[k * units + u]);
        }
        if (drawn_[next].output_layer == i) ++next;
        h = std::move(y);
    }
    return out;
}

std::vector<float> Session::drawn_kernels() const {
    std::vector<float> out;
    for (const DrawnLayer& d : drawn_) {
        const TensorView kernel = model_.layer(d.dense_layer).parameters()[0].value;  // (I, O)
        const std::int64_t inputs = kernel.rows(), units = kernel.cols();
        for (std::int64_t i = 0; i < std::min(inputs, max_drawn_units); ++i)
            for (std::int64_t j = 0; j < std::min(units, max_drawn_units); ++j)
                out.push_back(static_cast<float>(kernel.item(i * units + j)));
    }
    return out;
}

std::vector<float> Session::weights() const {
    std::vector<float> all;
    for (const Tensor& w : model_.get_weights())
        for (std::int64_t i = 0; i < w.numel(); ++i) all.push_back(static_cast<float>(w.item(i)));
    return all;
}

std::string Session::model_file() const {
    const std::filesystem::path path = std::filesystem::temp_directory_path() / "mlp-playground-export.safetensors";
    model_.save(path.string());
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::filesystem::remove(path);
    return bytes.str();
}

}  // namespace mlp::playground
