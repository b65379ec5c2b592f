#include "common/status.h"

#include <gtest/gtest.h>

namespace doudi {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Status::InvalidField("x", "odd", "必须是偶数");
  return x / 2;
}

Status Chain(int x, int* out) {
  DOUDI_ASSIGN_OR_RETURN(int h, Half(x));
  *out = h;
  return Status::Ok();
}

TEST(Status, ResultCarriesValueOrError) {
  int out = 0;
  EXPECT_TRUE(Chain(8, &out).ok());
  EXPECT_EQ(out, 4);
  Status s = Chain(3, &out);
  EXPECT_EQ(s.code(), Code::kInvalid);
  EXPECT_EQ(s.error_code(), "odd");
  ASSERT_EQ(s.details().size(), 1u);
  EXPECT_EQ(s.details()[0].field, "x");
}

}  // namespace
}  // namespace doudi
