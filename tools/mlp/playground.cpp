// `mlp playground`: copies the page the WebAssembly build assembled (HTML, the
// scripts, the .wasm; nothing fetched from elsewhere) to a directory, or serves
// it on localhost, for browsers that refuse WebAssembly and Web Workers from
// file:// (Chromium does; Firefox opens the copied index.html as it is).
#include "playground.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#ifdef MLP_CLI_WITH_HTTPLIB
#include <httplib.h>
#endif

#include "mlp/core/error.hpp"

namespace mlp::cli {

namespace fs = std::filesystem;

namespace {

struct PlaygroundArgs {
    std::string out;
    bool serve = false;
    int port = 8000;
};

/// Where the build put the page: MLP_PLAYGROUND_DIR in the environment, or
/// the build's own. Throws IOError saying how to build it when it is not there.
fs::path built_page() {
    const char* env = std::getenv("MLP_PLAYGROUND_DIR");
    const fs::path dir = env != nullptr && *env != '\0' ? fs::path(env) : fs::path(MLP_PLAYGROUND_BUILD_DIR);
    for (const char* file : {"index.html", "mlp_playground.js", "mlp_playground.wasm"})
        if (!fs::is_regular_file(dir / file))
            throw IOError(
                "the playground is not built: " + (dir / file).string() +
                " is missing. It is built with emscripten: MLP_WITH_WASM=1 scripts/install-deps.sh, "
                "then scripts/build.sh (or scripts/build-wasm.sh, and MLP_PLAYGROUND_DIR=build-wasm/playground)");
    return dir;
}

/// Copies the page's files into `out`; returns their total size.
std::uintmax_t copy_page(const fs::path& from, const fs::path& out) {
    std::error_code error;
    fs::create_directories(out, error);
    if (error) throw IOError(out.string() + ": cannot create the directory: " + error.message());
    std::uintmax_t bytes = 0;
    for (const auto& entry : fs::directory_iterator(from)) {
        if (!entry.is_regular_file()) continue;
        const fs::path target = out / entry.path().filename();
        // Through a temporary name and a rename: an interrupted copy leaves no half page.
        const fs::path part = target.string() + ".part";
        fs::copy_file(entry.path(), part, fs::copy_options::overwrite_existing, error);
        if (!error) fs::rename(part, target, error);
        if (error) throw IOError(target.string() + ": cannot write: " + error.message());
        bytes += entry.file_size();
    }
    return bytes;
}

void serve(const fs::path& dir, int port) {
#ifdef MLP_CLI_WITH_HTTPLIB
    httplib::Server server;
    server.set_file_extension_and_mimetype_mapping("wasm", "application/wasm");
    server.set_file_extension_and_mimetype_mapping("js", "text/javascript");
    if (!server.set_mount_point("/", dir.string())) throw IOError(dir.string() + ": cannot serve this directory");
    const int bound =
        port == 0 ? server.bind_to_any_port("127.0.0.1") : (server.bind_to_port("127.0.0.1", port) ? port : -1);
    if (bound < 0)
        throw IOError("cannot listen on 127.0.0.1:" + std::to_string(port) +
                      " (in use? --port picks another, --port 0 any free one)");
    std::printf("serving the playground at http://127.0.0.1:%d/ (from %s); Ctrl-C stops\n", bound, dir.c_str());
    std::fflush(stdout);
    server.listen_after_bind();
#else
    (void)dir;
    (void)port;
    throw ConfigError(
        "this mlp was built without cpp-httplib (libcpp-httplib-dev), so it cannot serve; "
        "use --out DIR and any static web server");
#endif
}

}  // namespace

void add_playground_command(CLI::App& app) {
    auto args = std::make_shared<PlaygroundArgs>();
    auto* cmd = app.add_subcommand("playground", "The library in the browser: write out or serve the playground page");
    cmd->footer(
        "Examples:\n  mlp playground --out playground      # then open playground/index.html (Firefox)\n"
        "  mlp playground --serve               # then open http://127.0.0.1:8000/ (any browser)\n"
        "  mlp playground --serve --port 0      # any free port\n"
        "Lessons open from the address: http://127.0.0.1:8000/#preset=vanishing-gradients");
    cmd->add_option("--out,-o", args->out, "Write the page's files into this directory");
    cmd->add_flag("--serve", args->serve, "Serve the page on 127.0.0.1 until Ctrl-C");
    cmd->add_option("--port", args->port, "The port to serve on; 0 picks a free one")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    cmd->callback([args] {
        const fs::path built = built_page();
        fs::path dir = built;
        if (!args->out.empty() || !args->serve) {
            dir = args->out.empty() ? fs::path("playground") : fs::path(args->out);
            const std::uintmax_t bytes = copy_page(built, dir);
            std::printf("wrote the playground to %s/ (%.1f MB)\n", dir.c_str(), static_cast<double>(bytes) / 1e6);
            if (!args->serve)
                std::printf(
                    "open %s/index.html in Firefox, or run `mlp playground --serve` for any browser "
                    "(Chromium refuses WebAssembly workers from file://)\n",
                    dir.c_str());
        }
        if (args->serve) serve(dir, args->port);
    });
}

}  // namespace mlp::cli
