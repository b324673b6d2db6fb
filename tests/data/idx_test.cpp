// IDX: images and labels from raw and gzip files, the standard file names in a
// directory, and errors that say what was expected and what was found.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "mlp/core/error.hpp"
#include "mlp/data/idx.hpp"

namespace mlp::data {

namespace {

namespace fs = std::filesystem;

std::string idx(unsigned char type, std::vector<std::uint32_t> dims, const std::string& data) {
    std::string out = {'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
    for (const auto d : dims)
        for (int s = 24; s >= 0; s -= 8) out += static_cast<char>((d >> s) & 0xFF);
    return out + data;
}

class IdxFiles : public ::testing::Test {
protected:
    void SetUp() override { fs::create_directories(dir); }
    void TearDown() override { fs::remove_all(dir); }
    std::string write(const std::string& name, const std::string& bytes, bool gzip = false) {
        const std::string path = dir + "/" + name;
        if (gzip) {
            gzFile f = gzopen(path.c_str(), "wb");
            gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
            gzclose(f);
        } else {
            std::ofstream(path, std::ios::binary) << bytes;
        }
        return path;
    }
    std::string error_of(const std::string& images, const std::string& labels) {
        try {
            load_idx(images, labels);
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    }
    const std::string dir = (fs::temp_directory_path() / ("mlp_idx_test_" + std::to_string(getpid()))).string();
};

}  // namespace

TEST_F(IdxFiles, ImagesAndLabelsFromGzipAndRaw) {
    std::string pixels(3 * 2 * 2, '\0');
    pixels[5] = static_cast<char>(255);
    write("train-images-idx3-ubyte.gz", idx(0x08, {3, 2, 2}, pixels), true);
    write("train-labels-idx1-ubyte", idx(0x08, {3}, std::string{1, 0, 7}));
    const Dataset d = load_idx_dir(dir, "train");
    EXPECT_EQ(d.x.shape(), (Shape{3, 4}));
    EXPECT_EQ(d.x.item(5), 1.0f);
    EXPECT_EQ(d.y.item(2), 7);
    EXPECT_EQ(d.classes, 8);
    EXPECT_EQ(d.image_shape, (std::vector<std::int64_t>{2, 2}));  // the report draws rows as images
    EXPECT_THROW(load_idx_dir(dir, "test"), DataError);
}

TEST_F(IdxFiles, AnyElementTypeAsATensor) {
    const Tensor s = parse_idx(idx(0x0B, {2}, std::string{'\xff', '\xfe', '\x01', '\x00'}), "s");
    EXPECT_EQ(s.item(0), -2);
    EXPECT_EQ(s.item(1), 256);
    const Tensor f = parse_idx(idx(0x0D, {1, 1}, std::string{'\x3f', '\xc0', '\0', '\0'}), "f");  // 1.5f big-endian
    EXPECT_EQ(f.item(0), 1.5);
}

TEST_F(IdxFiles, TruncatedFilesSayHowManyBytesWereExpected) {
    const std::string images = write("images.gz", idx(0x08, {60000, 28, 28}, std::string(1024, '\0')), true);
    const std::string labels = write("labels", idx(0x08, {60000}, std::string(60000, '\0')));
    EXPECT_EQ(error_of(images, labels), "'" + images + "': expected 47040000 bytes of image data, found 1024");
}

TEST_F(IdxFiles, WrongMagicAndMismatchedCountsAreErrors) {
    const std::string labels = write("labels", idx(0x08, {2}, std::string(2, '\0')));
    const std::string bad = write("bad", std::string("\x12\x34\x08\x03", 4) + std::string(12, '\0'));
    EXPECT_NE(error_of(bad, labels).find("bad magic number 0x12340803"), std::string::npos);
    const std::string as_labels = write("rank", idx(0x08, {2}, std::string(2, '\0')));
    EXPECT_NE(error_of(as_labels, labels).find("expected 0x00000803: unsigned bytes, 3 dimensions"), std::string::npos);
    const std::string images = write("images", idx(0x08, {3, 1, 1}, std::string(3, '\0')));
    EXPECT_NE(error_of(images, labels).find("has 2 labels but"), std::string::npos);
    const std::string extra = write("extra", idx(0x08, {2}, std::string(3, '\0')));
    EXPECT_NE(error_of(write("two", idx(0x08, {2, 1, 1}, std::string(2, '\0'))), extra).find("more bytes"),
              std::string::npos);
    EXPECT_NE(error_of(dir + "/missing", labels).find("cannot open"), std::string::npos);
}

}  // namespace mlp::data
