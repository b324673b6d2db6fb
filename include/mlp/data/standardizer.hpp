// Standardizer: x' = (x - mean) / std per feature, fitted on training data only
// (scikit-learn's StandardScaler: population std, constant features left at scale 1).
#pragma once

#include "mlp/core/tensor.hpp"

namespace mlp::data {

class Standardizer {
public:
    /// Learns each column's mean and standard deviation from x (N, D).
    Standardizer& fit(const TensorView& x);
    /// A standardized copy of x (N, D), in x's dtype.
    Tensor transform(const TensorView& x) const;
    Tensor fit_transform(const TensorView& x) { return fit(x).transform(x); }
    bool fitted() const { return !mean_.empty(); }
    const Tensor& mean() const { return mean_; }    ///< (D) float64
    const Tensor& scale() const { return scale_; }  ///< (D) float64

private:
    Tensor mean_, scale_;
};

}  // namespace mlp::data
