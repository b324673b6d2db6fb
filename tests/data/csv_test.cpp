// CSV: headers, delimiters, quoting, label columns by name or index, string
// labels and categorical features, and errors that name the line and column.
#include <gtest/gtest.h>

#include "mlp/core/error.hpp"
#include "mlp/data/csv.hpp"

namespace mlp::data {

namespace {
std::string error_of(std::string_view text, const CsvOptions& options = {}) {
    try {
        parse_csv(text, options, "flowers.csv");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST(Csv, HeaderAndStringLabelsMapToSortedClassIds) {
    const Dataset d = parse_csv("a,b,species\n1,2,virginica\n3,4.5,setosa\r\n-5,6e1,virginica\n", {.label = "species"});
    ASSERT_EQ(d.x.shape(), (Shape{3, 2}));
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"setosa", "virginica"}));
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(d.classes, 2);
    EXPECT_EQ(d.y.item(0), 1);
    EXPECT_EQ(d.y.item(1), 0);
    EXPECT_FLOAT_EQ(d.x.item(3), 4.5f);
    EXPECT_FLOAT_EQ(d.x.item(5), 60.0f);
}

TEST(Csv, NoHeaderDelimiterAndLabelIndex) {
    const Dataset d = parse_csv("0;1.5;2\n1;2.5;3\n", {.delimiter = ';', .label_index = 0});
    EXPECT_EQ(d.x.shape(), (Shape{2, 2}));
    EXPECT_TRUE(d.feature_names.empty());
    EXPECT_EQ(d.classes, 2);
    EXPECT_FLOAT_EQ(d.x.item(2), 2.5f);
}

TEST(Csv, QuotedFieldsHoldDelimitersQuotesAndLineBreaks) {
    const Dataset d =
        parse_csv("x,\"the, label\"\n1,\"say \"\"hi\"\"\"\n2,\"two\nlines\"\n3,plain\n", {.label = "the, label"});
    ASSERT_EQ(d.class_names.size(), 3u);
    EXPECT_EQ(d.class_names[1], "say \"hi\"");
    EXPECT_EQ(d.class_names[2], "two\nlines");
    EXPECT_EQ(d.size(), 3);
}

TEST(Csv, CategoricalColumnsBecomeOneHot) {
    const Dataset d =
        parse_csv("size,color,y\n1,red,0.5\n2,blue,1.25\n3,red,2\n", {.label = "y", .categorical = {"color"}});
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"size", "color=blue", "color=red"}));
    ASSERT_EQ(d.x.shape(), (Shape{3, 3}));
    EXPECT_EQ(d.x.item(3 + 1), 1.0f);  // row 2 is blue
    EXPECT_EQ(d.x.item(3 + 2), 0.0f);
    EXPECT_EQ(d.classes, 0);  // fractional labels: regression
    EXPECT_EQ(d.y.shape(), (Shape{3, 1}));
    EXPECT_FLOAT_EQ(d.y.item(1), 1.25f);
}

TEST(Csv, UnlabeledAndForcedRegression) {
    EXPECT_EQ(parse_csv("1,2,3\n4,5,6\n", {.labeled = false}).x.shape(), (Shape{2, 3}));
    const Dataset r = parse_csv("1,2\n3,4\n", {.task = "regression"});
    EXPECT_EQ(r.classes, 0);
    EXPECT_EQ(r.y.shape(), (Shape{2, 1}));
}

TEST(Csv, NegativeWholeNumberLabelsKeepNumericOrder) {
    const Dataset d = parse_csv("a,y\n1,2\n2,-1\n3,10\n4,0\n", {});
    EXPECT_EQ(d.class_names, (std::vector<std::string>{"-1", "0", "2", "10"}));
    EXPECT_EQ(d.y.item(0), 2);  // "2" is the third class
}

TEST(Csv, IgnoredColumnsAreLeftOut) {
    const Dataset d = parse_csv("id,a,y\nx1,1,0\nx2,2,1\n", {.ignore = {"id"}});
    EXPECT_EQ(d.features(), 1);
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a"}));
    EXPECT_THROW(parse_csv("id,a,y\nx1,1,0\n", {.ignore = {"y"}}), ConfigError);  // the label
    EXPECT_THROW(parse_csv("id,a,y\nx1,1,0\n", {.ignore = {"id", "id"}}), ConfigError);
}

TEST(Csv, SeveralLabelColumnsMakeAMultiOutputRegression) {
    // Whole numbers too: several labels are targets, not classes.
    const Dataset d = parse_csv("a,y2,b,y1\n1,20,2,10\n3,40,4,30\n", {.labels = {"y1", "y2"}});
    EXPECT_EQ(d.x.shape(), (Shape{2, 2}));
    EXPECT_EQ(d.feature_names, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(d.y.shape(), (Shape{2, 2}));
    EXPECT_EQ(d.y.item(0), 10);  // y1 first, as asked
    EXPECT_EQ(d.y.item(1), 20);
    EXPECT_EQ(d.y.item(3), 40);
    EXPECT_EQ(d.classes, 0);
    EXPECT_EQ(d.targets, (std::vector<std::string>{"y1", "y2"}));
    EXPECT_EQ(d.input_spec().task, "regression");
    EXPECT_EQ(d.input_spec().targets, d.targets);
    const Dataset no_header = parse_csv("1,2,3\n4,5,6\n", {.labels = {"2", "0"}});
    EXPECT_EQ(no_header.x.shape(), (Shape{2, 1}));
    EXPECT_EQ(no_header.y.item(0), 3);
    EXPECT_EQ(no_header.y.item(1), 1);
    EXPECT_NE(error_of("a,y1,y2\n1,2,x\n", {.labels = {"y1", "y2"}}).find("flowers.csv:2: column 3 ('y2'): 'x'"),
              std::string::npos);
    EXPECT_NE(error_of("a,y1\n1,2\n", {.labels = {"y1", "y3"}}).find("no label column 'y3'"), std::string::npos);
    EXPECT_THROW(parse_csv("a,y1,y2\n1,2,3\n", {.labels = {"y1", "y1"}}), ConfigError);
    EXPECT_THROW(parse_csv("a,y1,y2\n1,2,3\n", {.labels = {"y1", "y2"}, .task = "classification"}), ConfigError);
    EXPECT_THROW(parse_csv("a,y1,y2\n1,2,3\n", {.labels = {"y1", "y2"}, .ignore = {"y2"}}), ConfigError);
}

TEST(Csv, ErrorsNameTheFileLineAndColumn) {
    const std::string rows =
        "a,b,c,d,e,f\n1,2,3,4,5,0\n1,2,3,4,5,1\n1,2,3,4,5,0\n1,2,3,4,5,1\n1,2,3,4,5,0\n1,2,3,4,1\n";
    EXPECT_EQ(error_of(rows), "flowers.csv:7: expected 6 fields, found 5");
    EXPECT_EQ(error_of("a,b,y\n1,2,0\n1,x2,1\n"),
              "flowers.csv:3: column 2 ('b'): 'x2' is not a number; is the column categorical?");
    EXPECT_NE(error_of("a,b,y\n1,,0\n").find("flowers.csv:2: column 2 ('b'): '' is not a number (missing value)"),
              std::string::npos);
    EXPECT_NE(error_of("a,y\n1,0\n", {.label = "z"}).find("no label column 'z' (columns: a, y)"), std::string::npos);
    EXPECT_NE(error_of("a,\"y\n1,0\n").find("flowers.csv:1: a quoted field is not closed"), std::string::npos);
    EXPECT_NE(error_of("a,y\n1,x\n", {.task = "regression"}).find("flowers.csv:2: label 'x' is not a number"),
              std::string::npos);
    EXPECT_EQ(error_of(""), "flowers.csv: no rows");
    EXPECT_EQ(error_of("a,b\n"), "flowers.csv: no data rows");
    EXPECT_THROW(load_csv("/nonexistent/file.csv"), IOError);
}

}  // namespace mlp::data
