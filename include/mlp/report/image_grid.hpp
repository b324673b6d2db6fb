// A grid of small images with captions, as SVG (each image an embedded PNG):
// the misclassified test images of a report, true and predicted label below.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mlp::report {

struct CaptionedImage {
    std::vector<float> pixels{};  ///< height × width values, row-major; shaded from the grid's min (black) to max
    std::string caption = "";     ///< first line under the image
    std::string detail = "";      ///< second line
};

struct ImageGridOptions {
    std::string id = "";
    std::string title = "";
    std::int64_t columns = 8;
    int cell = 88;  ///< pixels per image on the page
};

/// Throws ShapeError when an image does not have height × width pixels.
std::string image_grid(const std::vector<CaptionedImage>& images, std::int64_t height, std::int64_t width,
                       const ImageGridOptions& options = {});

}  // namespace mlp::report
