// The library's version.
#pragma once

namespace mlp {

/// "0.1.0"
const char* version();

}  // namespace mlp
