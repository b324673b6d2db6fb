#include "run_dir.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>

#include "mlp/core/error.hpp"

namespace mlp::cli {

namespace fs = std::filesystem;

std::string make_run_dir(const std::string& out, const std::string& name) {
    std::string dir = out;
    if (dir.empty()) {
        const std::time_t now = std::time(nullptr);
        char stamp[32];
        std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
        const std::string stem = fs::path(name).stem().string();  // "fashion-mnist", or a CSV file's name
        dir = "runs/" + (stem.empty() ? std::string("run") : stem) + "-" + stamp;
        for (int k = 2; fs::exists(dir); ++k) dir = "runs/" + stem + "-" + stamp + "-" + std::to_string(k);
    }
    std::error_code error;
    fs::create_directories(dir, error);
    if (error) throw IOError("cannot create the run directory '" + dir + "': " + error.message());
    return dir;
}

void write_text(const std::string& dir, const std::string& file, const std::string& text) {
    const std::string path = dir + "/" + file, temporary = path + ".tmp";
    {
        std::ofstream out(temporary);
        out << text;
        if (!out) throw IOError("'" + temporary + "': write failed");
    }
    fs::rename(temporary, path);
}

void write_results(const std::string& dir, const Sequential& model, const History& history) {
    model.save(dir + "/model.safetensors");
    history.save(dir + "/history.csv");
    history.save(dir + "/history.json");
}

}  // namespace mlp::cli
