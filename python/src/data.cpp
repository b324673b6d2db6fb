// mlp._core.datasets: the named data sets and the synthetic generators as
// NumPy arrays: x float32 (N, features); y int64 class ids for
// classification, float32 targets for regression.
#include <pybind11/stl.h>

#include "arrays.hpp"
#include "bindings.hpp"
#include "errors.hpp"
#include "mlp/data/csv.hpp"
#include "mlp/data/named.hpp"
#include "mlp/data/synthetic.hpp"

namespace mlp::python {

namespace {
py::tuple arrays(data::Dataset data) {
    py::array x = to_numpy(std::move(data.x));
    py::array y = to_numpy(std::move(data.y));
    if (data.classes > 0) y = y.attr("astype")("int64");
    return py::make_tuple(x, y);
}

py::dict info_dict(const data::DatasetInfo& info) {
    return py::dict(py::arg("name") = info.name, py::arg("description") = info.description,
                    py::arg("source") = info.source, py::arg("location") = info.location,
                    py::arg("installed") = info.installed, py::arg("train_size") = info.train_size,
                    py::arg("test_size") = info.test_size, py::arg("features") = info.features,
                    py::arg("classes") = info.classes);
}

/// What a CSV file says of its columns, beside x and y.
py::dict description(const data::Dataset& d) {
    return py::dict(py::arg("feature_names") = d.feature_names, py::arg("class_names") = d.class_names,
                    py::arg("label") = d.label, py::arg("targets") = d.targets, py::arg("classes") = d.classes);
}

py::object load_csv(const std::string& path, const py::object& label, const std::string& delimiter,
                    std::optional<bool> header, const std::vector<std::string>& categorical,
                    const std::vector<std::string>& ignore, const std::string& task, bool labeled, bool return_info) {
    require_file(path);
    if (delimiter.size() != 1)
        throw py::value_error("load_csv: delimiter must be one character, got '" + delimiter + "'");
    data::CsvOptions options{.delimiter = delimiter[0],
                             .header = header,
                             .labeled = labeled,
                             .task = task,
                             .categorical = categorical,
                             .ignore = ignore};
    if (py::isinstance<py::str>(label))
        options.label = label.cast<std::string>();
    else if (!label.is_none())
        options.labels = label.cast<std::vector<std::string>>();
    data::Dataset d;
    {
        const py::gil_scoped_release release;
        d = data::load_csv(path, options);
    }
    const py::dict info = description(d);
    const py::tuple xy = arrays(std::move(d));
    const py::object y = labeled ? py::object(xy[1]) : py::none();
    if (return_info) return py::make_tuple(xy[0], y, info);
    return py::make_tuple(xy[0], y);
}

py::object load(const std::string& name, const std::optional<std::string>& split) {
    if (split) {
        data::Dataset data;
        {
            const py::gil_scoped_release release;
            data = data::load_named(name, *split);
        }
        return arrays(std::move(data));
    }
    data::Dataset train, test;
    {
        const py::gil_scoped_release release;
        train = data::load_named(name, "train");
        test = data::load_named(name, "test");
    }
    return py::make_tuple(arrays(std::move(train)), arrays(std::move(test)));
}
}  // namespace

void bind_data(py::module_& m) {
    py::module_ d = m.def_submodule("datasets", "Data sets by name, and synthetic ones, as NumPy arrays.");
    d.def("load", &load, py::arg("name"), py::arg("split") = py::none(),
          "((x_train, y_train), (x_test, y_test)) as Keras's load_data(), or one (x, y) for split 'train', 'test' "
          "or 'all'. Names: fashion-mnist, mnist, iris, wine, breast-cancer, digits, xor, moons, circles, spirals, "
          "blobs, sine, or a directory of MNIST IDX files.");
    d.def("load_csv", &load_csv, py::arg("path"), py::kw_only(), py::arg("label") = py::none(),
          py::arg("delimiter") = ",", py::arg("header") = py::none(),
          py::arg("categorical") = std::vector<std::string>{}, py::arg("ignore") = std::vector<std::string>{},
          py::arg("task") = "auto", py::arg("labeled") = true, py::arg("return_info") = false,
          "(x, y) from a CSV file (or .csv.gz): label names the label column (default the last), a list of names "
          "several (a multi-output regression); categorical columns are one-hot encoded, ignore ones left out; "
          "string labels become class ids in sorted order. return_info=True adds a dict of feature_names, "
          "class_names, label, targets and classes. Errors name the file, line and column.");
    d.def(
        "info", [](const std::string& name) { return info_dict(data::dataset_info(name)); }, py::arg("name"));
    d.def("names", [] {
        std::vector<std::string> names;
        for (const auto& info : data::list_datasets()) names.push_back(info.name);
        return names;
    });
    d.def("install", &data::install_dataset, py::arg("name"),
          "Fetches a data set into data_home() unless it is there.");
    d.def("data_home", &data::data_home);

    d.def(
        "xor", [] { return arrays(data::xor_gate()); }, "The four points of XOR: x (4, 2), y (4, 1).");
    d.def(
        "moons", [](std::int64_t n, double noise, std::uint64_t seed) { return arrays(data::moons(n, noise, seed)); },
        py::arg("n") = 200, py::arg("noise") = 0.1, py::arg("seed") = 0, "Two interleaving half circles.");
    d.def(
        "circles",
        [](std::int64_t n, double noise, std::uint64_t seed, double factor) {
            return arrays(data::circles(n, noise, seed, factor));
        },
        py::arg("n") = 200, py::arg("noise") = 0.05, py::arg("seed") = 0, py::arg("factor") = 0.5,
        "Two concentric circles.");
    d.def(
        "spirals",
        [](std::int64_t n, int arms, double noise, std::uint64_t seed) {
            return arrays(data::spirals(n, arms, noise, seed));
        },
        py::arg("n") = 300, py::arg("arms") = 3, py::arg("noise") = 0.2, py::arg("seed") = 0,
        "Interleaved spiral arms, one class each.");
    d.def(
        "blobs",
        [](std::int64_t n, int centers, std::uint64_t seed, int features, double stddev) {
            return arrays(data::blobs(n, centers, seed, features, stddev));
        },
        py::arg("n") = 200, py::arg("centers") = 3, py::arg("seed") = 0, py::arg("features") = 2,
        py::arg("stddev") = 1.0, "Gaussian clusters.");
    d.def(
        "sine", [](std::int64_t n, double noise, std::uint64_t seed) { return arrays(data::sine(n, noise, seed)); },
        py::arg("n") = 200, py::arg("noise") = 0.1, py::arg("seed") = 0, "y = sin(x) + noise, x in [-π, π].");
}

}  // namespace mlp::python
