// CSV parser: any bytes, with options chosen by the first byte.
#include <cstdint>
#include <string_view>

#include "mlp/core/error.hpp"
#include "mlp/data/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::uint8_t choice = data[0];
    mlp::data::CsvOptions options;
    options.delimiter = (choice & 1) ? ';' : ',';
    if (choice & 2) options.header = (choice & 4) != 0;
    options.label_index = (choice & 8) ? 0 : -1;
    options.labeled = (choice & 16) == 0;
    options.task = (choice & 32) ? "regression" : "auto";
    if (choice & 64) options.categorical = {"1"};
    if (choice & 128) options.skip_rows = 1;
    try {
        mlp::data::parse_csv(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), options, "fuzz.csv");
    } catch (const mlp::Error&) {
    }
    return 0;
}
