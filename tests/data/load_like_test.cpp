// Reading new data by a model's input spec: a CSV's columns by name in any
// order (the label and other columns optional), by position without a
// header, categories and classes encoded as at training, .npy and IDX told by
// content; every error names the file, the 1-based line and the column.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "../test_util.hpp"
#include "mlp/core/error.hpp"
#include "mlp/data/csv.hpp"
#include "mlp/data/load_like.hpp"
#include "mlp/data/npy.hpp"

namespace mlp::data {

namespace {

namespace fs = std::filesystem;

const std::string training_csv =
    "id,size,color,weight,kind\n"
    "a1,1.5,red,10,apple\n"
    "a2,2.5,green,12,pear\n"
    "a3,0.5,red,8,apple\n"
    "a4,3.0,yellow,15,banana\n";

/// A temporary path of this test's own (CTest runs the tests of this file at once).
std::string temp_path(const std::string& name) {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    return (fs::temp_directory_path() / ("mlp_load_like_" + test + "_" + name)).string();
}

std::string write_file(const std::string& name, const std::string& text) {
    const std::string path = temp_path(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

class LoadLike : public ::testing::Test {
protected:
    void SetUp() override {
        train = load_csv(write_file("train.csv", training_csv),
                         {.label = "kind", .categorical = {"color"}, .ignore = {"id"}});
        spec = train.input_spec();
    }
    /// The message of the DataError (or other Error) that reading `text` as `name` throws.
    std::string error_of(const std::string& name, const std::string& text, const LoadLikeOptions& options = {}) {
        const std::string path = write_file(name, text);
        try {
            load_like(path, spec, options);
        } catch (const Error& e) {
            const std::string message = e.what();
            EXPECT_NE(message.find(path), std::string::npos) << message;
            return message;
        }
        ADD_FAILURE() << name << " was read without an error";
        return "";
    }
    void expect_training_rows(const LoadedLike& in, std::int64_t rows) {
        ASSERT_EQ(in.data.x.rows(), rows);
        EXPECT_TRUE(test::bit_identical(in.data.x.view(), train.x.view().rows(0, rows)));
        EXPECT_EQ(in.data.feature_names, train.feature_names);
        EXPECT_EQ(in.data.class_names, train.class_names);
    }
    Dataset train;
    InputSpec spec;
};

}  // namespace

TEST_F(LoadLike, TheSpecRecordsColumnsCategoriesLabelAndClasses) {
    EXPECT_EQ(spec.features, 5);
    EXPECT_EQ(spec.feature_names(),
              (std::vector<std::string>{"size", "color=green", "color=red", "color=yellow", "weight"}));
    EXPECT_EQ(spec.label, "kind");
    EXPECT_EQ(spec.label_position, 3);  // after size, color and weight: id is not a column of the model
    EXPECT_EQ(spec.task, "classification");
    EXPECT_EQ(spec.class_names, (std::vector<std::string>{"apple", "banana", "pear"}));
}

TEST_F(LoadLike, SameFormatShuffledColumnsAndNoLabelGiveTheSameFeatures) {
    const LoadedLike same = load_like(write_file("same.csv", training_csv), spec);
    expect_training_rows(same, 4);
    EXPECT_TRUE(same.labeled);
    EXPECT_TRUE(test::bit_identical(same.data.y.view(), train.y.view()));
    EXPECT_EQ(same.ignored, (std::vector<std::string>{"id"}));

    const LoadedLike shuffled = load_like(write_file("shuffled.csv",
                                                     "weight,kind,color,id,size\n"
                                                     "10,apple,red,a1,1.5\n"
                                                     "12,pear,green,a2,2.5\n"),
                                          spec);
    expect_training_rows(shuffled, 2);
    EXPECT_TRUE(shuffled.labeled);

    const LoadedLike unlabeled = load_like(write_file("unlabeled.csv", "color,size,weight\nred,1.5,10\n"), spec);
    expect_training_rows(unlabeled, 1);
    EXPECT_FALSE(unlabeled.labeled);
    EXPECT_TRUE(unlabeled.ignored.empty());
}

TEST_F(LoadLike, WithoutAHeaderColumnsGoByPosition) {
    const LoadedLike features = load_like(write_file("positional.csv", "1.5,red,10\n2.5,green,12\n"), spec);
    expect_training_rows(features, 2);
    EXPECT_FALSE(features.labeled);
    const LoadedLike labeled = load_like(write_file("positional_label.csv", "1.5,red,10,apple\n"), spec);
    expect_training_rows(labeled, 1);
    EXPECT_TRUE(labeled.labeled);
    const std::string message = error_of("two_columns.csv", "1.5,10\n2.5,12\n");
    EXPECT_NE(message.find("no header and 2 columns per row; the model takes 3, or 4 with the label at column 4"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("'color' (categorical)"), std::string::npos) << message;
}

TEST_F(LoadLike, ErrorsNameFileLineAndColumn) {
    std::string m = error_of("missing.csv", "size,kind\n1,apple\n");
    EXPECT_NE(m.find("missing.csv:1: missing columns 'color', 'weight'"), std::string::npos) << m;
    m = error_of("nan.csv", "size,color,weight\n1,red,2\n3,red,nan\n");
    EXPECT_NE(m.find("nan.csv:3: column 3 ('weight'): 'nan' is not a finite number"), std::string::npos) << m;
    m = error_of("text.csv", "weight,color,size\n1,red,big\n");
    EXPECT_NE(m.find("text.csv:2: column 3 ('size'): 'big' is not a number"), std::string::npos) << m;
    m = error_of("category.csv", "size,color,weight\n1,red,2\n1,red,2\n1,purple,2\n");
    EXPECT_NE(m.find("category.csv:4: column 2 ('color'): category 'purple' was not seen in training"),
              std::string::npos)
        << m;
    m = error_of("class.csv", "size,color,weight,kind\n1,red,2,cherry\n");
    EXPECT_NE(m.find("class.csv:2: column 4 ('kind'): class 'cherry' was not seen in training"), std::string::npos)
        << m;
    m = error_of("fields.csv", "size,color,weight\n1,red,2\n1,red\n");
    EXPECT_NE(m.find("fields.csv:3: expected 3 fields, found 2"), std::string::npos) << m;
    m = error_of("keep.csv", "size,color,weight\n1,red,2\n", {.keep = {"id"}});
    EXPECT_NE(m.find("keep.csv:1: no column 'id' to keep"), std::string::npos) << m;
}

TEST_F(LoadLike, UnknownCategoriesCanBeAllZeros) {
    const LoadedLike in = load_like(write_file("purple.csv", "size,color,weight\n1,purple,2\n"), spec,
                                    {.unknown_category = UnknownCategory::ignore});
    const std::vector<float> expected = {1, 0, 0, 0, 2};
    EXPECT_EQ(std::vector<float>(in.data.x.data<float>(), in.data.x.data<float>() + 5), expected);
}

TEST_F(LoadLike, KeptColumnsComeBackAsText) {
    const LoadedLike in = load_like(write_file("kept.csv", "id,size,color,weight\n\"x, 1\",1,red,2\ny2,3,green,4\n"),
                                    spec, {.keep = {"id"}});
    ASSERT_EQ(in.kept.size(), 1u);
    EXPECT_EQ(in.kept[0], (std::vector<std::string>{"x, 1", "y2"}));
}

TEST_F(LoadLike, NpyAndIdxAreToldByContent) {
    Tensor x(Shape{2, 5});
    for (std::int64_t i = 0; i < 10; ++i) x.data<float>()[i] = static_cast<float>(i);
    const std::string npy = temp_path("rows.dat");
    save_npy(npy, x);
    EXPECT_TRUE(test::bit_identical(load_like(npy, spec).data.x.view(), x.view()));

    Tensor narrow(Shape{2, 4});
    save_npy(npy, narrow);
    try {
        load_like(npy, spec);
        ADD_FAILURE() << "4 values for 5 features did not fail";
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find(npy + ": holds rows of 4 values (shape (2, 4)); the model takes 5"),
                  std::string::npos)
            << e.what();
    }
    // IDX, gzip-compressed: unsigned bytes, 2 images of 1 x 5 pixels.
    const std::string idx = temp_path("images");
    const unsigned char bytes[] = {0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    gzFile out = gzopen(idx.c_str(), "wb");
    gzwrite(out, bytes, sizeof bytes);
    gzclose(out);
    EXPECT_TRUE(test::bit_identical(load_like(idx, spec).data.x.view(), x.view()));
    fs::remove(npy);
    fs::remove(idx);
}

TEST(LoadLikeTargets, SeveralLabelColumnsAreReadByName) {
    const Dataset train = parse_csv("x1,t1,x2,t2\n1,10,2,20\n3,30,4,40\n", {.labels = {"t2", "t1"}});
    const InputSpec spec = train.input_spec();
    const LoadedLike in = parse_like("t1,x2,t2,x1,note\n10,2,20,1,a\n", spec, {}, "new.csv");
    EXPECT_TRUE(in.labeled);
    EXPECT_EQ(in.data.y.shape(), (Shape{1, 2}));
    EXPECT_EQ(in.data.y.item(0), 20);  // t2 first, as at training
    EXPECT_EQ(in.data.y.item(1), 10);
    EXPECT_TRUE(test::bit_identical(in.data.x.view(), train.x.view().rows(0, 1)));
    EXPECT_EQ(in.ignored, (std::vector<std::string>{"note"}));
    const LoadedLike features = parse_like("x1,x2\n1,2\n", spec, {}, "new.csv");
    EXPECT_FALSE(features.labeled);
    try {
        parse_like("x1,x2,t1\n1,2,10\n", spec, {}, "half.csv");
        ADD_FAILURE() << "a file with one of two labels was read";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("half.csv:1: missing label column 't2'"), std::string::npos) << e.what();
    }
}

TEST(LoadCsv, NonFiniteTrainingValuesNameFileLineAndColumn) {
    try {
        parse_csv("a,b,y\n1,2,0\n1,inf,1\n", {}, "train.csv");
        ADD_FAILURE() << "inf was read";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("train.csv:3: column 2 ('b'): 'inf' is not a finite number"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace mlp::data
