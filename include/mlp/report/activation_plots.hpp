// The activation functions and their derivatives, drawn from the library's own
// forward and backward passes (so the pictures show what training computes):
// linear, step, sign, piecewise linear, sigmoid, tanh, ReLU, leaky ReLU, ELU, GELU and
// a slice of softmax: every activation the library has.
#pragma once

#include <string>
#include <vector>

#include "mlp/report/html_page.hpp"

namespace mlp::report {

/// One chart per function: f(z) and f'(z) for z in [-5, 5].
std::vector<std::string> activation_function_charts();
/// The charts on a page, each with its equation.
HtmlPage activation_functions_page();

}  // namespace mlp::report
