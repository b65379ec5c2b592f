// Result JSON tests: a stored feed row's values carry each coded value as its bare code ("wage"), never the
// spec's list of accepted synonyms ("wage|工资|缴费工资"), which the screens and reports translate.
#include "verify/results.h"

#include <gtest/gtest.h>

#include "verify/feeds/feeds.h"

namespace doudi::verify {
namespace {

TEST(VerifyResults, RowValuesStoreBareCodes) {
  store::FeedRow row;
  row.feed = static_cast<int>(Feed::kSocialInsurance);
  // Every slot holds code 0: kind = wage (the first of "wage|工资|缴费工资").
  nlohmann::json v = RowValues(row);
  EXPECT_EQ(v["kind"], "wage") << v.dump();

  row.feed = static_cast<int>(Feed::kTax);
  row.code[0] = row.code[1] = 2;  // income_type = property ("property|财产租赁|...")
  EXPECT_EQ(RowValues(row)["income_type"], "property");

  // Every code of every coded column of every feed, checked against the text before the spec's first '|'.
  int checked = 0;
  for (int f = 0; f < kFeedCount; ++f) {
    for (const auto& c : feeds::Spec(static_cast<Feed>(f)).columns) {
      if (c.type != feeds::ColumnType::kCode) continue;
      for (size_t k = 0; k < c.codes.size(); ++k) {
        store::FeedRow r;
        r.feed = f;
        r.code[c.slot] = static_cast<int>(k);
        std::string want(c.codes[k]);
        want.resize(want.find('|') == std::string::npos ? want.size() : want.find('|'));
        const auto got = RowValues(r)[std::string(c.name)].get<std::string>();
        EXPECT_EQ(got, want) << c.name;
        EXPECT_EQ(got.find('|'), std::string::npos);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace doudi::verify
