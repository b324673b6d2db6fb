// History: what fit() measured, one value per epoch for each key ("loss",
// "accuracy", "val_loss", "val_accuracy", ...), as Keras's History.history.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mlp {

class History {
public:
    /// Appends one epoch's value to `key`'s series, creating it if new.
    void append(const std::string& key, double value);
    /// The series for `key`; throws ConfigError naming the keys there are.
    const std::vector<double>& operator[](const std::string& key) const;
    bool contains(const std::string& key) const;
    /// Keys in the order they were first recorded.
    std::vector<std::string> keys() const;
    /// Epochs recorded (the length of the "loss" series).
    std::size_t epochs() const;

    /// "epoch,loss,accuracy,val_loss,..." then one line per epoch (epochs count from 1).
    std::string to_csv() const;
    /// {"epochs": n, "history": {"loss": [...], ...}}
    std::string to_json() const;
    /// Writes CSV or JSON by the extension (.json, else CSV); atomically (write, then rename).
    void save(const std::string& path) const;
    /// Reads what save() wrote (by the extension); throws IOError or DataError
    /// naming the file and, for CSV, the line that is wrong.
    static History load(const std::string& path);
    /// The text forms back; `source` names the text in messages.
    static History from_csv(const std::string& text, const std::string& source = "history");
    static History from_json(const std::string& text, const std::string& source = "history");

private:
    std::vector<std::pair<std::string, std::vector<double>>> series_;
};

}  // namespace mlp
