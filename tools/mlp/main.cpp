// The mlp command: subcommands over the library. Errors become a message on
// stderr and an exit code: 2 for a usage error, 1 for a failure, 130 when
// Ctrl-C stopped training.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "data.hpp"
#include "experiment.hpp"
#include "export.hpp"
#include "import.hpp"
#include "inspect.hpp"
#include "mlp/core/device.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/threads.hpp"
#include "mlp/version.hpp"
#ifdef MLP_CLI_WITH_CUDA
#include "mlp/cuda/cuda.hpp"
#endif
#include "playground.hpp"
#include "plot.hpp"
#include "processes.hpp"
#include "single_unit.hpp"
#include "train.hpp"

int main(int argc, char** argv) {
    CLI::App app{"mlp: build, train and check multi-layer perceptrons"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("mlp ") + mlp::version());
    mlp::cli::add_train_command(app);
    mlp::cli::add_evaluate_command(app);
    mlp::cli::add_predict_command(app);
    mlp::cli::add_summary_command(app);
    mlp::cli::add_export_command(app);
    mlp::cli::add_import_command(app);
    mlp::cli::add_gradcheck_command(app);
    mlp::cli::add_data_command(app);
    mlp::cli::add_plot_command(app);
    mlp::cli::add_experiment_command(app);
    mlp::cli::add_playground_command(app);
    mlp::cli::add_single_unit_commands(app);
    app.add_subcommand("version", "Print the version, the threads and the vector path the CPU backend uses, and the GPUs")
        ->callback([] {
            std::printf("mlp %s (%d threads, %s loops)\n", mlp::version(), mlp::num_threads(),
                        mlp::vector_path().c_str());
#ifdef MLP_CLI_WITH_CUDA
            mlp::cuda::enable();
            std::printf("%s\n", mlp::cuda_status().c_str());
#else
            std::printf("no CUDA in this build (the CUDA toolkit was not found when it was built)\n");
#endif
        });
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    } catch (const mlp::cli::TrainingInterrupted& e) {
        if (*e.what() != '\0') std::fprintf(stderr, "mlp: %s\n", e.what());  // empty: another process says it
        return 130;
    } catch (const mlp::ConfigError& e) {
        mlp::cli::stop_other_processes(e.what());
        std::fprintf(stderr, "mlp: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        mlp::cli::stop_other_processes(e.what());
        std::fprintf(stderr, "mlp: %s\n", e.what());
        return 1;
    }
    return 0;
}
