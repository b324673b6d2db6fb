// .npy: every supported dtype, versions 1-3, round trips through save_npy, and
// errors for Fortran order, unsupported dtypes and missing data.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "data/gzip_reader.hpp"
#include "mlp/core/error.hpp"
#include "mlp/data/npy.hpp"

namespace mlp::data {

namespace {

/// A .npy file as numpy writes it: magic, version, header padded to 64 bytes.
std::string npy(const std::string& descr, const std::string& shape, const std::string& data, bool fortran = false,
                int version = 1) {
    std::string dict =
        "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
    const std::size_t prefix = version == 1 ? 10 : 12;
    dict.append(64 - (prefix + dict.size() + 1) % 64, ' ');
    dict += '\n';
    std::string out = "\x93NUMPY";
    out += static_cast<char>(version);
    out += '\0';
    out += static_cast<char>(dict.size() & 0xFF);
    out += static_cast<char>(dict.size() >> 8);
    if (version > 1) out += std::string(2, '\0');
    return out + dict + data;
}

template <class T>
std::string bytes_of(std::initializer_list<T> values) {
    std::string out;
    for (const T v : values) out.append(reinterpret_cast<const char*>(&v), sizeof v);
    return out;
}

std::string error_of(const std::string& bytes) {
    try {
        parse_npy(bytes, "x.npy");
    } catch (const DataError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Npy, ReadsEveryDtype) {
    const Tensor f4 = parse_npy(npy("<f4", "(2, 2)", bytes_of<float>({1.5f, -2, 3, 4})));
    EXPECT_EQ(f4.shape(), (Shape{2, 2}));
    EXPECT_EQ(f4.item(0), 1.5);
    const Tensor f8 = parse_npy(npy("<f8", "(3,)", bytes_of<double>({0.1, 0.2, 0.3})), "x");
    EXPECT_EQ(f8.dtype(), DType::f64);
    EXPECT_EQ(f8.item(2), 0.3);
    EXPECT_EQ(parse_npy(npy("<i8", "(2,)", bytes_of<std::int64_t>({-7, 9}))).item(0), -7);
    EXPECT_EQ(parse_npy(npy("<i4", "(1,)", bytes_of<std::int32_t>({123456}))).item(0), 123456);
    EXPECT_EQ(parse_npy(npy("|u1", "(2, 1)", bytes_of<std::uint8_t>({255, 3}))).item(0), 255);
    EXPECT_EQ(parse_npy(npy("|i1", "(1,)", bytes_of<std::int8_t>({-128}))).item(0), -128);
    EXPECT_EQ(parse_npy(npy("|b1", "(2,)", bytes_of<std::uint8_t>({1, 0}))).item(0), 1);
    EXPECT_EQ(parse_npy(npy("<u2", "(1,)", bytes_of<std::uint16_t>({65535}))).item(0), 65535);
    EXPECT_EQ(parse_npy(npy("<f4", "()", bytes_of<float>({2.5f}))).item(0), 2.5);  // a scalar
    EXPECT_EQ(parse_npy(npy("<f4", "(1, 2)", bytes_of<float>({1, 2}), false, 2)).item(1), 2);
    EXPECT_EQ(parse_npy(npy("<f4", "(0, 3)", "")).numel(), 0);
}

TEST(Npy, SaveThenLoadIsExact) {
    Tensor t(Shape{2, 3}, DType::f64);
    for (std::int64_t i = 0; i < 6; ++i) t.data<double>()[i] = 1.0 / (static_cast<double>(i) + 3);
    const std::string path = (std::filesystem::temp_directory_path() / "mlp_npy_test.npy").string();
    save_npy(path, t);
    const Tensor back = load_npy(path);
    EXPECT_EQ(back.shape(), t.shape());
    EXPECT_EQ(std::memcmp(back.data<double>(), t.data<double>(), 6 * sizeof(double)), 0);
    std::filesystem::remove(path);
}

TEST(Npy, DatasetFlattensFeaturesAndReadsClassIds) {
    const auto dir = std::filesystem::temp_directory_path();
    const std::string x_path = (dir / "mlp_npy_test_x.npy").string(), y_path = (dir / "mlp_npy_test_y.npy").string();
    std::ofstream(x_path, std::ios::binary) << npy("<f4", "(2, 2, 2)", bytes_of<float>({1, 2, 3, 4, 5, 6, 7, 8}));
    std::ofstream(y_path, std::ios::binary) << npy("<i8", "(2,)", bytes_of<std::int64_t>({2, 0}));
    const Dataset d = load_npy_dataset(x_path, y_path);
    EXPECT_EQ(d.x.shape(), (Shape{2, 4}));
    EXPECT_EQ(d.x.item(7), 8.0f);
    EXPECT_EQ(d.image_shape, (std::vector<std::int64_t>{2, 2}));  // (N, H, W): images
    EXPECT_EQ(d.classes, 3);
    EXPECT_EQ(d.y.item(0), 2.0f);
    std::ofstream(y_path, std::ios::binary) << npy("<f4", "(2, 1)", bytes_of<float>({0.5f, 1.5f}));
    const Dataset r = load_npy_dataset(x_path, y_path);
    EXPECT_EQ(r.classes, 0);  // fractional targets: regression
    EXPECT_EQ(r.y.shape(), (Shape{2, 1}));
    std::ofstream(y_path, std::ios::binary) << npy("<i8", "(3,)", bytes_of<std::int64_t>({0, 1, 0}));
    EXPECT_THROW(load_npy_dataset(x_path, y_path), DataError);
    std::filesystem::remove(x_path);
    std::filesystem::remove(y_path);
}

TEST(Npy, MalformedFilesAreErrors) {
    EXPECT_EQ(error_of(npy("<f4", "(2,)", bytes_of<float>({1, 2}), true)),
              "'x.npy': the array is in Fortran order; save it in C order (numpy.ascontiguousarray)");
    EXPECT_NE(error_of(npy("<c8", "(1,)", std::string(8, '\0'))).find("unsupported dtype '<c8'"), std::string::npos);
    EXPECT_NE(error_of(npy(">f4", "(1,)", std::string(4, '\0'))).find("unsupported dtype '>f4'"), std::string::npos);
    EXPECT_EQ(error_of(npy("<f4", "(2, 3)", std::string(8, '\0'))),
              "'x.npy': expected 24 bytes of <f4 data for shape (2, 3), found 8");
    EXPECT_NE(error_of("not numpy").find("not a .npy file"), std::string::npos);
    EXPECT_NE(error_of(npy("<f4", "(2,", "")).find("bad .npy header"), std::string::npos);
    EXPECT_NE(error_of(npy("<f4", "(1, 1, 1, 1, 1)", bytes_of<float>({1}))).find("rank 5"), std::string::npos);
}

TEST(GzipReader, InflatesNoFurtherThanItsLimit) {
    // 1 MB of zeros, about 1 KB compressed, read with a limit of 64 KB.
    const std::string path = (std::filesystem::temp_directory_path() / "mlp_gzip_limit.csv.gz").string();
    gzFile out = gzopen(path.c_str(), "wb9");
    const std::string zeros(1 << 20, '0');
    gzwrite(out, zeros.data(), static_cast<unsigned>(zeros.size()));
    gzclose(out);
    try {
        GzipReader(path).read_all(1 << 16);
        ADD_FAILURE() << "read past the limit";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("holds more than 65536 bytes once inflated"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(GzipReader(path).read_all().size(), zeros.size());  // the default limit: half the memory
    EXPECT_GT(GzipReader::default_limit(), std::size_t{1} << 28);
    std::filesystem::remove(path);
}

TEST(Npy, CompressedFileInflatesNoFurtherThanItsHeaderSays) {
    // 8 bytes announced, 256 MB of zeros behind them: about 250 KB compressed.
    const std::string path = (std::filesystem::temp_directory_path() / "mlp_npy_bomb.npy.gz").string();
    gzFile out = gzopen(path.c_str(), "wb9");
    const std::string head = npy("<f4", "(2,)", bytes_of<float>({1, 2}));
    gzwrite(out, head.data(), static_cast<unsigned>(head.size()));
    const std::string zeros(1 << 20, '\0');
    for (int i = 0; i < 256; ++i) gzwrite(out, zeros.data(), static_cast<unsigned>(zeros.size()));
    gzclose(out);
    try {
        load_npy(path);
        ADD_FAILURE() << "a file longer than its header says was read";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("expected 8 bytes of <f4 data for shape (2), found more"),
                  std::string::npos)
            << e.what();
    }
    std::filesystem::remove(path);
}

}  // namespace mlp::data
