#include "mlp/version.hpp"

namespace mlp {

const char* version() { return MLP_VERSION; }

}  // namespace mlp
