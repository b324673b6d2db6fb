// Device: PyTorch's spellings parsed and printed, and a clear refusal of a
// device this program cannot use (no CUDA backend enabled here).
#include <gtest/gtest.h>

#include <string>

#include "../../src/backend/ops.hpp"
#include "mlp/core/device.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp {
namespace {

TEST(Device, ParsesAndPrintsPyTorchsSpelling) {
    EXPECT_EQ(Device::parse("cpu"), Device::cpu());
    EXPECT_EQ(Device::parse("cuda"), Device::cuda(0));
    EXPECT_EQ(Device::parse("cuda:3"), Device::cuda(3));
    EXPECT_EQ(Device::cuda(1).str(), "cuda:1");
    EXPECT_EQ(Device::cpu().str(), "cpu");
    EXPECT_NE(Device::cuda(0), Device::cuda(1));
    for (const char* bad : {"gpu", "cuda:", "cuda:-1", "cuda:1x", "CUDA", "cuda:0:1", ""}) {
        try {
            (void)Device::parse(bad);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find("expected cpu, cuda or cuda:N"), std::string::npos) << e.what();
        }
    }
}

TEST(Device, WithoutABackendCudaIsRefusedSayingWhy) {
    // This test program does not link mlp::cuda: no backend is registered.
    EXPECT_TRUE(cuda_devices().empty());
    EXPECT_NE(cuda_status().find("link mlp::cuda"), std::string::npos) << cuda_status();
    EXPECT_NO_THROW(require_device(Device::cpu()));
    try {
        require_device(Device::cuda(0));
        ADD_FAILURE() << "cuda:0 accepted without a backend";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("cuda:0: CUDA not enabled"), std::string::npos) << e.what();
    }
}

TEST(Device, TensorsStayOnTheCpuWithoutABackend) {
    const Tensor t = Tensor::from<float>(Shape{2, 2}, {1, 2, 3, 4});
    EXPECT_EQ(t.device(), Device::cpu());
    EXPECT_EQ(t.to(Device::cpu()).item(3), 4.0);  // a copy
    EXPECT_THROW(Tensor(Shape{2, 2}, DType::f32, Device::cuda(0)), ConfigError);
    EXPECT_THROW((void)t.to(Device::cuda(1)), ConfigError);
    // A view that says it is on a GPU is not read on the CPU.
    const TensorView elsewhere(t.view().raw(), t.shape(), t.dtype(), Device::cuda(0));
    EXPECT_THROW((void)elsewhere.item(0), ConfigError);
    // The op set sends a GPU's views to its backend: none here, so a clear refusal, not a crash.
    Tensor c(Shape{2, 2});
    EXPECT_THROW(backend::fill(elsewhere, 1.0), ConfigError);
    EXPECT_THROW(backend::gemm(t, false, t, false, TensorView(c.view().raw(), c.shape(), c.dtype(), Device::cuda(0))),
                 ConfigError);
    EXPECT_THROW(backend::gemm(elsewhere, false, t, false, c), ConfigError);  // inputs on two devices
    backend::gemm(t, false, t, false, c);  // all on the CPU: [[1,2],[3,4]]² = [[7,10],[15,22]]
    EXPECT_EQ(c.item(3), 22.0);
}

}  // namespace
}  // namespace mlp
