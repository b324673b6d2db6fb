// The textbook picture of a network: a column of units per layer, every unit
// joined to every unit of the next column, the layers named beneath. Wide
// layers show their first and last units around a "⋮" with their width
// above; layers without units of their own (dropout, batch normalization,
// activation, normalization) are tags under the column they act on; a
// residual block's shortcut is drawn as an arc past its columns, and a
// recurrent layer's units loop back on themselves.
//
//   std::ofstream("net.svg") << mlp::report::network_diagram(model);
#pragma once

#include <string>

#include "mlp/model/sequential.hpp"

namespace mlp::report {

struct DiagramOptions {
    int max_units = 8;  ///< units drawn per column at most; wider layers are elided in the middle
    std::string title = "";
};

/// A standalone SVG document (styles inline, so that it shows anywhere, a
/// browser, an image viewer or a slide). Throws ShapeError for a model that
/// is not built (its widths are not known yet).
std::string network_diagram(const Sequential& model, const DiagramOptions& options = {});

}  // namespace mlp::report
