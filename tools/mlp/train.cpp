#include "train.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "device_option.hpp"
#include "inputs.hpp"
#include "mlp/mlp.hpp"
#include "processes.hpp"
#include "run_comparison.hpp"
#include "run_dir.hpp"
#include "train_setup.hpp"
#include "validators.hpp"

namespace mlp::cli {

namespace {

/// Reads --config: a model config as Sequential::to_json writes it, with
/// optional "fit" and "data" sections. Their values fill in every flag the
/// command line did not give.
nlohmann::json read_config(TrainArgs& a) {
    std::ifstream in(a.config);
    if (!in) throw IOError("'" + a.config + "': cannot open for reading");
    nlohmann::json spec;
    try {
        spec = nlohmann::json::parse(in);
        auto take = [&](const nlohmann::json& section, const char* key, const char* flag, auto& field) {
            using T = std::remove_reference_t<decltype(field)>;
            if (!section.contains(key) || a.given.count(flag)) return;
            // A float given for an integer would reach an undefined conversion.
            if (std::is_integral_v<T> && !section[key].is_number_integer())
                throw ConfigError("'" + a.config + "': \"" + key + "\" must be an integer, got " + section[key].dump());
            field = section[key].get<T>();
        };
        auto known_keys = [&](const nlohmann::json& section, const char* name,
                              std::initializer_list<const char*> keys) {
            for (const auto& item : section.items())
                if (const std::string& key = item.key();
                    std::find_if(keys.begin(), keys.end(), [&](const char* k) { return key == k; }) == keys.end()) {
                    std::string list;
                    for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
                    throw ConfigError("'" + a.config + "': \"" + name + "\": unknown key \"" + key +
                                      "\" (known: " + list + ")");
                }
        };
        const nlohmann::json fit = spec.value("fit", nlohmann::json::object());
        known_keys(fit, "fit", {"epochs", "batch_size", "validation_split", "seed"});
        known_keys(spec.value("data", nlohmann::json::object()), "data",
                   {"name", "label", "task", "categorical", "ignore", "delimiter", "test_split", "test_data"});
        take(fit, "epochs", "--epochs", a.epochs);
        take(fit, "batch_size", "--batch-size", a.batch_size);
        take(fit, "validation_split", "--validation-split", a.validation_split);
        take(fit, "seed", "--seed", a.seed);
        const nlohmann::json data = spec.value("data", nlohmann::json::object());
        take(data, "name", "--data", a.data);
        take(data, "label", "--label", a.label);
        take(data, "task", "--task", a.task);
        take(data, "categorical", "--categorical", a.categorical);
        take(data, "ignore", "--ignore", a.ignore);
        if (data.contains("delimiter") && !a.given.count("--delimiter")) {
            const auto d = data.at("delimiter").get<std::string>();
            if (d.size() != 1)
                throw ConfigError("'" + a.config + "': \"delimiter\" must be one character, got '" + d + "'");
            a.delimiter = d[0];
        }
        take(data, "test_split", "--test-split", a.test_split);
        take(data, "test_data", "--test-data", a.test_data);
        spec.erase("fit");
        spec.erase("data");
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError("'" + a.config + "': " + e.what());
    }
    return spec;
}

/// The config a run directory keeps: the model's, plus how it was trained, so
/// that `mlp train --config` on it trains the same model again.
std::string run_config(const Sequential& model, const TrainArgs& a) {
    nlohmann::ordered_json config = nlohmann::ordered_json::parse(model.to_json());
    config["fit"] = {
        {"epochs", a.epochs}, {"batch_size", a.batch_size}, {"validation_split", a.validation_split}, {"seed", a.seed}};
    config["data"] = data_section(a);
    return config.dump(2) + "\n";
}

struct RunResult {
    std::string dir;
    std::string test_scores;  ///< "loss 0.31, accuracy 0.89"
};

RunResult run(TrainArgs a) {
    if (a.threads > 0) set_num_threads(a.threads);
    const Device device = a.device.usable();  // before any data is read: a missing GPU is said at once
    // Started by mpirun: every process trains its share of each batch, and rank 0
    // alone prints and writes (the run directory, the checkpoint, --save).
    const std::shared_ptr<distributed::Communicator> processes = launched_processes();
    const bool chief = !processes || processes->rank() == 0;
    if (!chief && std::freopen("/dev/null", "w", stdout) == nullptr) throw IOError("/dev/null: cannot open");
    const nlohmann::json spec = a.config.empty() ? nlohmann::json() : read_config(a);
    Sequential model = unbuilt_model(a, spec);
    if (!a.resume.empty()) take_data_from_checkpoint(a, model);
    const auto [task, why] = choose_task(a, model);
    const std::vector<std::string> labels = split_list(a.label);  // several: a multi-output regression
    const auto [train, test] = load_train_test(a.data,
                                               {.delimiter = a.delimiter,
                                                .label = labels.size() > 1 ? "" : a.label,
                                                .labels = labels.size() > 1 ? labels : std::vector<std::string>{},
                                                .task = task,
                                                .categorical = a.categorical,
                                                .ignore = a.ignore},
                                               a.test_split, a.seed, a.test_data);
    check_finite(train, "the training data (" + a.data + ")");
    check_finite(test, "the test data (" + a.data + ")");
    prepare(model, a, train);
    model.to(device);
    if (task == "classification") check_outputs_fit_classes(model, train, a.quiet || a.json);
    // The model remembers its data's columns, categories and classes (a resumed
    // checkpoint already does), so that predict reads new files the same way.
    if (a.resume.empty() || model.input_spec().empty()) {
        data::InputSpec input = train.input_spec();
        nlohmann::ordered_json source = data_section(a);
        source["seed"] = a.seed;  // the split's
        input.source = source.dump();
        try {
            model.set_input_spec(input);
        } catch (const ShapeError& e) {
            throw ConfigError(e.what());  // --layers that do not fit the data: a usage error, as for classes
        }
    }
    const std::string dir = chief ? make_run_dir(a.out, a.data, a.overwrite) : std::string();
    const std::optional<PathLock> run_lock = chief ? std::make_optional<PathLock>(dir, false) : std::nullopt;
    const std::optional<PathLock> checkpoint_lock =
        a.checkpoint.empty() || !chief ? std::nullopt : std::make_optional<PathLock>(a.checkpoint, true);
    const std::string config = run_config(model, a);  // before training changes the learning rate
    if (chief) write_text(dir, "config.json", config);
    if (!a.quiet && !a.json) {
        std::printf("task: %s (%s)\n", task.c_str(), why.c_str());
        if (processes)
            std::printf("data-parallel over %d processes (mpirun): each a share of every batch of %lld\n",
                        processes->size(), static_cast<long long>(a.batch_size));
        if (!device.is_cpu())
            for (const GpuInfo& gpu : cuda_devices())
                if (gpu.index == device.index)
                    std::printf("device: %s, products in %s\n", gpu.str().c_str(), a.device.matmul_precision.c_str());
        if (a.verbose > 0) model.summary();
    }

    const std::string monitored = a.validation_split > 0 ? "val_loss" : "loss";
    std::vector<Callback> callbacks;
    if (a.early_stopping > 0)
        callbacks.emplace_back(EarlyStopping{.monitor = monitored,
                                             .patience = a.early_stopping,
                                             .restore_best_weights = true,
                                             .verbose = a.quiet ? 0 : 1});
    if (a.reduce_lr > 0)
        callbacks.emplace_back(ReduceLROnPlateau{
            .monitor = monitored, .factor = 0.5, .patience = a.reduce_lr, .verbose = a.quiet ? 0 : 1});
    // What the report's gradient and activation charts show, measured on a fixed sample.
    auto monitor = std::make_shared<TrainingMonitor>(train.x.view().rows(0, std::min<std::int64_t>(512, train.size())));
    callbacks.emplace_back(monitor);
    const auto start = std::chrono::steady_clock::now();
    const History history =
        model.fit(train.x, train.y,
                  {.epochs = a.epochs,
                   .batch_size = a.batch_size,
                   .validation_split = a.validation_split,
                   .verbose = a.quiet || a.json ? 0 : a.verbose,
                   .seed = a.seed,
                   .callbacks = callbacks,
                   .lr_schedule = a.lr_schedule.empty() ? std::nullopt : std::optional(make_schedule(a.lr_schedule)),
                   .resume = !a.resume.empty(),
                   .checkpoint = a.checkpoint,
                   .communicator = processes});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (model.progress().interrupted) {
        if (!chief) throw TrainingInterrupted("");  // rank 0 reports it
        history.save(dir + "/history.csv");         // the epochs that finished
        const bool save = a.save_interrupted && !a.save.empty();
        if (save) {
            create_parent_directories(a.save);
            model.save(a.save);
        }
        throw TrainingInterrupted(
            "interrupted: " +
            (a.checkpoint.empty() ? std::string("no checkpoint was asked for (--checkpoint FILE keeps one)")
                                  : "the checkpoint " + a.checkpoint + " resumes it (--resume " + a.checkpoint + ")") +
            "; " + dir + " holds the config and the finished epochs' history; " +
            (a.save.empty() ? std::string("no model was saved")
             : save         ? a.save + " holds the partly trained model"
                            : a.save + " was not written (--save-interrupted writes it)"));
    }
    const Scores scores = model.evaluate(test.x, test.y);
    if (!chief) return {dir, scores.str()};
    write_results(dir, model, history);
    char took[64];
    std::snprintf(took, sizeof took, "%.3g s (%.0f samples/s)", seconds,
                  static_cast<double>(train.size()) * static_cast<double>(history.epochs()) / seconds);
    const report::HtmlPage page = report::training_report(model, history,
                                                          {.title = "mlp train: " + a.data,
                                                           .config = config,
                                                           .facts = {{"data", a.data},
                                                                     {"training samples", std::to_string(train.size())},
                                                                     {"test samples", std::to_string(test.size())},
                                                                     {"seed", std::to_string(a.seed)},
                                                                     {"training time", took},
                                                                     {"run directory", dir}},
                                                           .monitor = monitor.get(),
                                                           .test = &test});
    page.save(dir + "/report.html");
    if (!a.report.empty()) {
        create_parent_directories(a.report);
        page.save(a.report);
    }
    if (!a.history.empty()) {
        create_parent_directories(a.history);
        history.save(a.history);
    }
    if (!a.save.empty()) {
        create_parent_directories(a.save);
        model.save(a.save);
    }
    if (a.json) {
        nlohmann::ordered_json out{{"run", dir}, {"task", task}, {"epochs", history.epochs()}, {"seconds", seconds}};
        for (const auto& [name, value] : scores.items()) out["test"][name] = value;
        std::printf("%s\n", out.dump().c_str());
        return {dir, scores.str()};
    }
    std::printf("test %s\n", scores.str().c_str());
    if (a.quiet) return {dir, scores.str()};
    std::printf("trained %zu epochs on %lld samples in %.1f s (%.0f samples/s)\n", history.epochs(),
                static_cast<long long>(train.size()), seconds,
                static_cast<double>(train.size()) * static_cast<double>(history.epochs()) / seconds);
    std::printf("run written to %s (config.json, model.safetensors, history.csv, history.json, report.html)\n",
                dir.c_str());
    return {dir, scores.str()};
}

/// The flags that take a comma-separated list to sweep over, and the values given.
struct Sweep {
    std::vector<double> lr{};
    std::vector<std::int64_t> batch_size{};
    std::vector<std::uint64_t> seed{};
    std::vector<int> epochs{};
    std::vector<std::string> optimizer{};
    std::vector<std::string> init{};
    std::string layers{};  ///< ';' separates the choices, as ',' separates the layers

    /// One setting of a swept flag: its name and how it changes the args.
    struct Choice {
        std::string flag, value;
        std::function<void(TrainArgs&)> apply;
    };
    /// The swept flags' choices, one list per flag; flags given once are applied to `a` instead.
    std::vector<std::vector<Choice>> choices(TrainArgs& a) const {
        std::vector<std::vector<Choice>> out;
        const auto add = [&](const char* flag, const auto& values, auto field) {
            std::vector<Choice> list;
            for (const auto& v : values) {
                std::ostringstream text;
                text << v;
                list.push_back({flag, text.str(), [field, v](TrainArgs& t) { t.*field = v; }});
            }
            if (list.size() == 1) list.front().apply(a);
            if (list.size() > 1) out.push_back(std::move(list));
        };
        add("lr", lr, &TrainArgs::lr);
        add("batch-size", batch_size, &TrainArgs::batch_size);
        add("seed", seed, &TrainArgs::seed);
        add("epochs", epochs, &TrainArgs::epochs);
        add("optimizer", optimizer, &TrainArgs::optimizer);
        add("init", init, &TrainArgs::init);
        if (!layers.empty()) add("layers", split_list(layers, ';'), &TrainArgs::layers);
        return out;
    }
};

/// Trains one run per combination of the swept flags' values, each in its own
/// directory under one sweep directory, and writes their comparison page there.
void run_sweep(TrainArgs a, const std::vector<std::vector<Sweep::Choice>>& swept) {
    if (launched_processes())
        throw ConfigError("a sweep trains its runs one after another in one process; run it without mpirun");
    for (const char* flag : {"--save", "--report", "--history", "--checkpoint", "--resume"})
        if (a.given.count(flag))
            throw ConfigError(std::string(flag) +
                              " names one file, and a sweep trains several models: leave it out (each run's "
                              "directory holds its model, history and report)");
    const std::string sweep_dir = make_run_dir(a.out, a.data + "-sweep", a.overwrite);
    std::vector<std::size_t> at(swept.size(), 0);  // the combination, as digits
    std::vector<std::string> dirs, scores;
    for (bool more = true; more;) {
        TrainArgs one = a;
        std::string name;
        for (std::size_t f = 0; f < swept.size(); ++f) {
            const Sweep::Choice& c = swept[f][at[f]];
            c.apply(one);
            name += (name.empty() ? "" : "_") + c.flag + "=" + c.value;
        }
        std::string directory = name;
        for (char& ch : directory)
            if (ch == '/' || ch == ':' || ch == ',' || ch == ' ') ch = '-';
        one.out = sweep_dir + "/" + directory;
        if (!a.json) std::printf("%s== %s\n", a.quiet ? "" : "\n", name.c_str());
        const RunResult r = run(one);
        dirs.push_back(r.dir);
        scores.push_back(r.test_scores);
        more = false;  // the next combination: count up, last flag fastest
        for (std::size_t f = swept.size(); f-- > 0 && !more;) {
            if (++at[f] < swept[f].size())
                more = true;
            else
                at[f] = 0;
        }
    }
    const std::string page = sweep_dir + "/compare.html";
    comparison_page(dirs, "mlp train sweep: " + a.data, scores).save(page);
    if (!a.json)
        std::printf("\nsweep of %zu runs written to %s; compared in %s\n", dirs.size(), sweep_dir.c_str(),
                    page.c_str());
}

}  // namespace

void add_train_command(CLI::App& app) {
    auto args = std::make_shared<TrainArgs>();
    auto sweep = std::make_shared<Sweep>();
    auto* cmd = app.add_subcommand("train", "Train a network on a data set and print its test scores");
    cmd->footer(
        "Example:\n  mlp train --data fashion-mnist --layers 256:relu,128:relu,10:softmax \\\n"
        "            --optimizer adam --lr 1e-3 --epochs 10 --batch-size 128 --history out/history.csv\n"
        "  mlp train --data flowers.csv --label species --normalize standardize --layers 16:relu,3:softmax\n"
        "  mlp train --data moons --layers 16:relu,1:sigmoid --lr 0.3,0.03,0.003 --epochs 30   # a sweep, compared");
    cmd->add_option("--data", args->data,
                    "A named data set (mlp data list), a directory of MNIST IDX files, or a CSV file")
        ->capture_default_str();
    cmd->add_option(
        "--label", args->label,
        "The label column of a CSV file (default: the last column); several, comma-separated, make a multi-output "
        "regression (--label price,rent)");
    cmd->add_option("--categorical", args->categorical,
                    "Columns of a CSV file that hold categories, one-hot encoded (comma-separated or repeated)")
        ->delimiter(',');
    cmd->add_option("--ignore", args->ignore, "Columns of a CSV file to leave out (ids, free text); comma-separated")
        ->delimiter(',');
    cmd->add_option("--delimiter", args->delimiter, "The field separator of a CSV file")->capture_default_str();
    cmd->add_option("--test-split", args->test_split, "Fraction of a CSV file held out for testing, in [0, 1)")
        ->capture_default_str()
        ->check(CLI::Validator(
            [](std::string& text) -> std::string {
                double v = -1;
                return CLI::detail::lexical_cast(text, v) && v >= 0 && v < 1 ? "" : "must be in [0, 1), got " + text;
            },
            "FRACTION"));
    cmd->add_option("--test-data", args->test_data,
                    "A CSV file to test on (the training file's columns); --data is then all for training")
        ->check(CLI::ExistingFile);
    cmd->add_option("--task", args->task,
                    "classification or regression; auto: classification when the loss is a cross-entropy or the "
                    "output layer is softmax or sigmoid")
        ->capture_default_str()
        ->check(CLI::IsMember({"auto", "classification", "regression"}));
    cmd->add_option("--normalize", args->normalize,
                    "Scale the inputs inside the model, fitted on the training data: standardize or minmax")
        ->check(CLI::IsMember({"standardize", "minmax"}));
    cmd->add_option("--layers", sweep->layers,
                    "Layers as UNITS:ACTIVATION, UNITSxDEPTH:ACTIVATION (a DenseStack: DEPTH layers as one, fused "
                    "on a GPU), dropout:RATE, batchnorm (batchnorm:sync: statistics over every "
                    "process under mpirun); comma-separated; several networks, separated by ';', sweep")
        ->default_str(args->layers);
    cmd->add_option("--optimizer", sweep->optimizer,
                    "sgd, momentum, nesterov, adam, amsgrad, adamw, rmsprop or adagrad; several, comma-separated, "
                    "sweep")
        ->delimiter(',')
        ->default_str(args->optimizer);
    cmd->add_option("--lr", sweep->lr, "Learning rate; several, comma-separated, sweep (--lr 0.1,0.01,0.001)")
        ->delimiter(',')
        ->default_str("0.001")
        ->check(positive());
    cmd->add_option("--momentum", args->momentum, "Momentum for sgd, momentum, nesterov (default 0.9) and rmsprop")
        ->capture_default_str();
    cmd->add_option("--weight-decay", args->weight_decay, "Decoupled weight decay for adamw")->capture_default_str();
    cmd->add_option("--l2", args->l2, "L2 penalty on every Dense kernel")->check(non_negative());
    cmd->add_option("--init", sweep->init,
                    "Every Dense kernel's initializer: auto (He for the ReLU family, else Glorot), he_normal, "
                    "he_uniform, glorot_normal, glorot_uniform, lecun_normal, lecun_uniform, orthogonal, "
                    "normal:STDDEV, uniform:LIMIT, constant:C, zeros; several, comma-separated, sweep")
        ->delimiter(',')
        ->default_str(args->init);
    cmd->add_option("--bias-init", args->bias_init, "Every Dense bias's initializer, e.g. constant:-1 (dead ReLUs)")
        ->capture_default_str();
    cmd->add_option("--clipnorm", args->clipnorm, "Clip each weight's gradient to this norm")->check(non_negative());
    cmd->add_option("--clipvalue", args->clipvalue, "Clip gradient elements to [-v, v]")->check(non_negative());
    cmd->add_option("--global-clipnorm", args->global_clipnorm, "Clip all gradients to this global norm")
        ->check(non_negative());
    cmd->add_option("--lr-schedule", args->lr_schedule,
                    "cosine, step:EPOCHS:FACTOR, exponential:STEPS:RATE, warmup:STEPS or restarts:STEPS");
    cmd->add_option("--metrics", args->metrics, "Comma-separated, e.g. accuracy,f1,auc (default: accuracy)");
    cmd->add_option("--early-stopping", args->early_stopping,
                    "Stop after this many epochs without improvement (val_loss, or loss), keeping the best weights")
        ->check(non_negative());
    cmd->add_option("--reduce-lr-on-plateau", args->reduce_lr, "Halve the learning rate after this many flat epochs")
        ->check(non_negative());
    cmd->add_option("--verbose", args->verbose, "0 silent, 1 progress bar, 2 one line per epoch")
        ->capture_default_str()
        ->check(CLI::Range(0, 2));
    cmd->add_option("--loss", args->loss, "Loss; auto follows the output activation")->capture_default_str();
    cmd->add_option("--epochs", sweep->epochs, "Epochs; several, comma-separated, sweep")
        ->delimiter(',')
        ->default_str(std::to_string(args->epochs))
        ->check(non_negative());
    cmd->add_option("--batch-size", sweep->batch_size, "Mini-batch size; several, comma-separated, sweep")
        ->delimiter(',')
        ->default_str(std::to_string(args->batch_size))
        ->check(positive());
    cmd->add_option("--validation-split", args->validation_split, "Fraction of training data held out")
        ->capture_default_str();
    cmd->add_option("--seed", sweep->seed,
                    "Seed for initialization, shuffling and the test split; several, comma-separated, sweep")
        ->delimiter(',')
        ->default_str(std::to_string(args->seed));
    cmd->add_option("--threads", args->threads, "Threads, 1 to 1024 (default: OMP_NUM_THREADS or all cores)")
        ->check(CLI::Range(1, 1024));
    args->device.add_to(*cmd, "Where to train (the data is copied there once)");
    cmd->add_option("--history", args->history, "Write History here (.csv or .json)");
    cmd->add_option("--report", args->report, "Also write the HTML report here (it is always in the run directory)");
    cmd->add_option("--save", args->save, "Write the trained model here (.safetensors)");
    cmd->add_option("--checkpoint", args->checkpoint,
                    "Write a checkpoint here after every epoch and on Ctrl-C (.safetensors)");
    cmd->add_option("--resume", args->resume,
                    "Continue training the checkpoint in this file up to --epochs (its layers and optimizer are used)");
    cmd->add_flag("--quiet,-q", args->quiet, "Print only the test scores");
    cmd->add_flag("--json", args->json, "Print the results as one JSON object (run directory, epochs, test scores)");
    cmd->add_option("--config", args->config,
                    "A JSON spec: a model config (as a run's config.json), with optional \"fit\" and \"data\"; "
                    "flags override it")
        ->check(CLI::ExistingFile);
    cmd->add_option("--out", args->out,
                    "The run directory (default: runs/<data>-<timestamp>); one that holds files needs --overwrite");
    cmd->add_flag("--overwrite", args->overwrite, "Replace the files of an earlier run in --out");
    cmd->add_flag("--save-interrupted", args->save_interrupted,
                  "On Ctrl-C, write the partly trained model to --save all the same");
    cmd->callback([args, sweep, cmd] {
        for (const auto* option : cmd->get_options())
            if (option->count() > 0) args->given.insert(option->get_name());
        TrainArgs a = *args;
        const auto swept = sweep->choices(a);
        if (swept.empty())
            run(a);
        else
            run_sweep(a, swept);
    });
}

}  // namespace mlp::cli
