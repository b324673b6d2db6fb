// The playground's session run natively: reads the settings the page sent
// (a JSON file), trains EPOCHS epochs as the page does, and prints every
// weight as the hexadecimal of its float bits, then the losses, so that a
// test can compare the browser's numbers with the native library's.
//   replay SETTINGS.json EPOCHS
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>

#include "session.hpp"

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s SETTINGS.json EPOCHS\n", argv[0]);
        return 2;
    }
    try {
        std::ifstream in(argv[1]);
        if (!in) throw std::runtime_error(std::string("cannot read ") + argv[1]);
        mlp::playground::Session session(nlohmann::json::parse(in));
        session.train_epochs(std::atoi(argv[2]));
        for (const float v : session.weights()) {
            std::uint32_t bits = 0;
            std::memcpy(&bits, &v, sizeof bits);
            std::printf("%08x\n", bits);
        }
        const nlohmann::json p = session.progress();
        if (p.contains("diverged")) std::printf("diverged %s\n", p["diverged"].get<std::string>().c_str());
        if (!p["test_loss"].empty()) std::printf("test_loss %.6f\n", p["test_loss"].back().get<double>());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "replay: %s\n", e.what());
        return 1;
    }
}
