// The one exception hierarchy of mlp. The library never exits: it throws one
// of these with a message that names what was wrong, where, and the values.
#pragma once

#include <stdexcept>
#include <string>

namespace mlp {

/// Base of every error mlp throws; catch this to handle them all.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A tensor had the wrong shape: the message gives expected and actual.
class ShapeError : public Error {
public:
    using Error::Error;
};

/// An option or a call order was wrong: `Adam: lr must be >= 0, got -1`.
class ConfigError : public Error {
public:
    using Error::Error;
};

/// Data was unusable: NaN/Inf, a label out of range, a bad file.
class DataError : public Error {
public:
    using Error::Error;
};

/// Reading or writing a file failed.
class IOError : public Error {
public:
    using Error::Error;
};

/// Training diverged: the loss became NaN or Inf.
class NumericError : public Error {
public:
    using Error::Error;
};

/// A GPU ran out of memory: the message names the size asked for and the device.
class DeviceMemoryError : public Error {
public:
    using Error::Error;
};

}  // namespace mlp
