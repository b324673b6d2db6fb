// Reading new data by a model's input spec: any bytes (CSV, .npy or IDX by
// content) against a spec with numeric and categorical columns and named
// classes; the first byte chooses the options.
#include <cstdint>
#include <string_view>

#include "mlp/core/error.hpp"
#include "mlp/data/load_like.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t choice = data[0];
    const mlp::data::InputSpec spec{.features = 5,
                                    .columns = {{"a"}, {"color", {"blue", "red", "white"}}, {"b"}},
                                    .label = "kind",
                                    .label_position = (choice & 1) ? 0 : 3,
                                    .task = "classification",
                                    .class_names = {"x", "y"}};
    mlp::data::LoadLikeOptions options;
    options.delimiter = (choice & 2) ? ';' : ',';
    if (choice & 4) options.header = (choice & 8) != 0;
    if (choice & 16) options.unknown_category = mlp::data::UnknownCategory::ignore;
    if (choice & 32) options.keep = {"id"};
    try {
        mlp::data::parse_like(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), spec, options,
                              "fuzz.csv");
    } catch (const mlp::Error&) {
    }
    return 0;
}
