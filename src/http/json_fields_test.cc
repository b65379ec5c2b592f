#include "http/json_fields.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace doudi::http {
namespace {

TEST(JsonFields, ReadTypedFieldsAndNameTheBadOnes) {
  auto body = nlohmann::json::parse(R"({"name":"张三","version":3,"age":"x","nothing":null})");
  EXPECT_EQ(*StringField(body, "name"), "张三");
  EXPECT_EQ(*IntField(body, "version"), 3);
  EXPECT_EQ(*StringField(body, "nothing", false), "");

  auto missing = StringField(body, "address");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().error_code(), "http.missing_field");
  EXPECT_EQ(missing.status().details().at(0).field, "address");

  auto wrong = StringField(body, "version");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().error_code(), "http.bad_type");

  auto not_int = IntField(body, "age");
  ASSERT_FALSE(not_int.ok());
  EXPECT_EQ(not_int.status().details().at(0).field, "age");
}

}  // namespace
}  // namespace doudi::http
