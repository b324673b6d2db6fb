// Feature scaling fitted on training data only, applied to any data after:
//   x' = (x - center) / scale per feature
// Standardizer: center = mean, scale = population standard deviation
// (scikit-learn's StandardScaler). MinMaxScaler: center = min, scale = max - min,
// to [0, 1] (MinMaxScaler). Constant features keep scale 1. To keep the
// scaling with a saved model, use the Normalization layer instead.
#pragma once

#include "mlp/core/tensor.hpp"

namespace mlp::data {

class Scaler {
public:
    virtual ~Scaler() = default;
    /// Learns each column's center and scale from x (N, D).
    Scaler& fit(const TensorView& x);
    /// A scaled copy of x (N, D), in x's dtype.
    Tensor transform(const TensorView& x) const;
    /// Undoes transform.
    Tensor inverse_transform(const TensorView& x) const;
    Tensor fit_transform(const TensorView& x) { return fit(x).transform(x); }
    bool fitted() const { return !center_.empty(); }
    const Tensor& center() const { return center_; }  ///< (D) float64
    const Tensor& scale() const { return scale_; }    ///< (D) float64

protected:
    Scaler() = default;
    Scaler(const Scaler&) = default;
    Scaler& operator=(const Scaler&) = default;

private:
    /// Fills center and scale (D, float64) from x.
    virtual void fit_columns(const TensorView& x, double* center, double* scale) const = 0;
    virtual const char* name() const = 0;
    Tensor center_, scale_;
};

class Standardizer : public Scaler {
public:
    const Tensor& mean() const { return center(); }

private:
    void fit_columns(const TensorView& x, double* center, double* scale) const override;
    const char* name() const override { return "Standardizer"; }
};

class MinMaxScaler : public Scaler {
public:
    const Tensor& min() const { return center(); }

private:
    void fit_columns(const TensorView& x, double* center, double* scale) const override;
    const char* name() const override { return "MinMaxScaler"; }
};

}  // namespace mlp::data
