// What `mlp train` reads from its flags, and the steps that turn them into a
// model and data: the task, the optimizer, the checks before training.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "device_option.hpp"
#include "mlp/mlp.hpp"

namespace mlp::cli {

struct TrainArgs {
    std::string data = "fashion-mnist";
    std::string label;
    std::vector<std::string> categorical;
    std::vector<std::string> ignore;
    char delimiter = ',';
    double test_split = 0.2;
    std::string test_data;
    std::string task = "auto";
    std::string layers = "256:relu,128:relu,10:softmax";
    std::string optimizer = "adam";
    double lr = 1e-3;
    double momentum = 0.9;
    std::string loss = "auto";
    int epochs = 10;
    std::int64_t batch_size = 128;
    double validation_split = 0.0;
    std::uint64_t seed = 0;
    int threads = 0;
    cli::DeviceFlags device;  // where the model trains, and its products' precision there
    double weight_decay = 1e-2;
    double l2 = 0;
    std::string init = "auto";  // every Dense kernel's initializer
    std::string bias_init = "zeros";
    double clipnorm = 0, clipvalue = 0, global_clipnorm = 0;
    std::string lr_schedule;
    std::string metrics;
    int early_stopping = 0;
    int reduce_lr = 0;
    std::string normalize;
    std::string history;
    std::string report;
    std::string save;
    bool save_interrupted = false;  // Ctrl-C writes the partly trained model to --save too
    std::string checkpoint;
    std::string resume;
    std::string config;
    std::string out;
    bool overwrite = false;
    int verbose = 1;
    bool quiet = false;
    bool json = false;
    std::set<std::string> given;  // the flags on the command line, which override --config
};

/// How the data were read: a file by its absolute path, so that the run's
/// config.json and a checkpoint find it again from any directory.
nlohmann::ordered_json data_section(const TrainArgs& a);
/// A resumed run without --data reads what the checkpoint was trained on.
void take_data_from_checkpoint(TrainArgs& a, const Sequential& model);
/// "classification" or "regression", as the user says (--task) or as the
/// model's loss or output layer shows, with the reason for the output.
std::pair<std::string, std::string> choose_task(const TrainArgs& a, const Sequential& model);
/// Every value of a data set is finite: found before training, not after it.
void check_finite(const data::Dataset& d, const std::string& what);
/// "cosine", "step:EPOCHS:FACTOR", "exponential:STEPS:RATE", "warmup:STEPS", "restarts:STEPS".
Schedule make_schedule(const std::string& spec);
/// The model as the flags, a --config spec or a --resume checkpoint give it,
/// not yet built nor compiled (a loaded checkpoint is both).
Sequential unbuilt_model(const TrainArgs& a, const nlohmann::json& spec);
/// Builds and compiles the model for `train`. Flags given beside a --config
/// spec win over its "compile" section.
void prepare(Sequential& m, const TrainArgs& a, const data::Dataset& train);
/// A classifier's last layer gives one output per class (or one for two
/// classes). More outputs train and are warned of; fewer are an error.
void check_outputs_fit_classes(const Sequential& m, const data::Dataset& train, bool quiet);

}  // namespace mlp::cli
