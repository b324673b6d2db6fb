// ModelCheckpoint: a file per epoch (or only on improvement), its name filled
// from the epoch and History's values: "ckpt-{epoch:03d}-{val_loss:.4f}.safetensors".
#include <cctype>
#include <cstdio>

#include "builtin.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp {

namespace {

struct Placeholder {
    std::string key;   // "epoch", "val_loss"
    std::string spec;  // "03d", ".4f", "" (default)
};

/// The placeholders of `pattern` in order; throws on an unclosed brace or a bad format.
std::vector<Placeholder> placeholders(const std::string& pattern) {
    std::vector<Placeholder> out;
    for (std::size_t i = pattern.find('{'); i != std::string::npos; i = pattern.find('{', i + 1)) {
        const std::size_t close = pattern.find('}', i);
        if (close == std::string::npos)
            throw ConfigError("ModelCheckpoint: unclosed '{' in filepath '" + pattern + "'");
        const std::string inside = pattern.substr(i + 1, close - i - 1);
        const std::size_t colon = inside.find(':');
        Placeholder p{inside.substr(0, colon), colon == std::string::npos ? "" : inside.substr(colon + 1)};
        // A printf conversion of digits, '.', '+' or '-' then one of d f e g: nothing else reaches snprintf.
        bool ok = p.spec.empty() || std::string("dfeg").find(p.spec.back()) != std::string::npos;
        for (std::size_t k = 0; ok && k + 1 < p.spec.size(); ++k)
            ok = std::isdigit(static_cast<unsigned char>(p.spec[k])) || p.spec[k] == '.' || p.spec[k] == '+' ||
                 p.spec[k] == '-';
        if (!ok)
            throw ConfigError("ModelCheckpoint: format '" + p.spec + "' in '{" + inside + "}' is not like 03d or .4f");
        out.push_back(p);
        i = close;
    }
    return out;
}

std::string fill(const std::string& pattern, int epoch, const Scores& logs) {
    std::string out;
    std::size_t from = 0;
    for (const auto& p : placeholders(pattern)) {
        const std::size_t open = pattern.find('{', from), close = pattern.find('}', open);
        out += pattern.substr(from, open - from);
        char text[64];
        const bool is_epoch = p.key == "epoch";
        std::string spec = p.spec.empty() ? (is_epoch ? "d" : "g") : p.spec;
        if (is_epoch && spec.back() == 'd')
            std::snprintf(text, sizeof text, ("%" + spec).c_str(), epoch);
        else
            std::snprintf(text, sizeof text,
                          ("%" + (spec.back() == 'd' ? spec.substr(0, spec.size() - 1) + ".0f" : spec)).c_str(),
                          is_epoch ? static_cast<double>(epoch) : logs[p.key]);
        out += text;
        from = close + 1;
    }
    return out + pattern.substr(from);
}

}  // namespace

ModelCheckpointCallback::ModelCheckpointCallback(const ModelCheckpoint& options)
    : options_(options), monitor_("ModelCheckpoint", options.monitor, options.mode) {
    if (options.filepath.empty()) throw ConfigError("ModelCheckpoint: filepath is empty");
    placeholders(options.filepath);  // throws on a malformed pattern now, not at the first save
}

void ModelCheckpointCallback::check(const FitPlan& plan) const {
    if (options_.save_best_only) monitor_.check(plan);
    for (const auto& p : placeholders(options_.filepath))
        if (p.key != "epoch") Monitor("ModelCheckpoint", p.key, "auto").check(plan);
}

void ModelCheckpointCallback::on_train_begin(TrainingState&) { best_ = monitor_.worst(); }

void ModelCheckpointCallback::on_epoch_end(TrainingState& state) {
    if (options_.save_best_only) {
        const double current = state.logs[monitor_.key()];
        if (!monitor_.improves(current, best_)) return;
        if (options_.verbose > 0 && state.rank == 0)
            std::printf("Epoch %d: %s improved from %.5g to %.5g\n", state.epoch, monitor_.key().c_str(), best_,
                        current);
        best_ = current;
    }
    if (state.rank != 0) return;  // every process holds the same weights: one writes them
    const std::string path = fill(options_.filepath, state.epoch, state.logs);
    if (options_.save_weights_only)
        state.model.save_weights(path);
    else
        state.model.save(path);
    if (options_.verbose > 0) std::printf("Epoch %d: saved %s\n", state.epoch, path.c_str());
}

}  // namespace mlp
