// Persons at the service level on a real database: create, read, search, duplicates, validation, scope,
// masking, reveal, optimistic locking.
#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "registry/test_support.h"

namespace doudi::registry {
namespace {

using testing::MakeId;
using testing::RegistryTest;

class PersonTest : public RegistryTest {};

const FieldError* FindDetail(const Status& s, const std::string& field) {
  for (const auto& d : s.details()) {
    if (d.field == field) return &d;
  }
  return nullptr;
}

TEST_P(PersonTest, CreateDerivesBirthAndSexStoresOnlyCipherAndShowsMasked) {
  const std::string id = MakeId("421003", "19800315", 123);  // odd sequence: male
  auto created = svc_->CreatePerson(city_, Sample("张三", "421003001", id));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  EXPECT_EQ(created->birth_date, "1980-03-15");
  EXPECT_EQ(created->sex, 1);
  EXPECT_EQ(created->version, 1);
  EXPECT_TRUE(created->masked);
  EXPECT_EQ(created->id_number, id.substr(0, 4) + "**********" + id.substr(14));
  EXPECT_EQ(created->phone, "138****5678");

  // At rest: no plain number in any column, the cipher decrypts to it, the hash is the keyed hash.
  std::string cipher, hash, phone_cipher;
  ASSERT_TRUE(db_->Read([&](db::Conn& c) -> Status {
                   DOUDI_ASSIGN_OR_RETURN(
                       auto rows, c.Query("SELECT id_cipher, id_hash, phone_cipher FROM persons WHERE id = $1",
                                          {created->id}));
                   cipher = rows[0].Text(0);
                   hash = rows[0].Text(1);
                   phone_cipher = rows[0].Text(2);
                   return Status::Ok();
                 }).ok());
  EXPECT_EQ(cipher.find(id), std::string::npos);
  EXPECT_EQ(*crypto_->Decrypt(cipher), id);
  EXPECT_EQ(hash, crypto_->KeyedHash(id));
  EXPECT_EQ(*crypto_->Decrypt(phone_cipher), "13812345678");
  EXPECT_EQ(CountRows("SELECT count(*) FROM persons WHERE id_hash LIKE '%" + id + "%' OR address LIKE '%" + id + "%'"),
            0);

  auto got = svc_->GetPerson(city_, created->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, "张三");
  EXPECT_EQ(got->id_number, id.substr(0, 4) + "**********" + id.substr(14));
  EXPECT_EQ(got->division_code, "421003001");
  EXPECT_FALSE(got->household_id.has_value());

  // The JSON form: masked, names beside codes, age on 2025-06-01 (born 1980-03-15: 45).
  nlohmann::json j = PersonJsonForTest(*got);
  EXPECT_EQ(j["id_number_masked"], true);
  EXPECT_EQ(j["sex_name"], "男性");
  EXPECT_EQ(j["ethnicity_name"], "汉族");
  EXPECT_EQ(j["age"], 45);
  EXPECT_EQ(j["division_name"].get<std::string>().find("西城街道") != std::string::npos, true);
  EXPECT_TRUE(j["household_id"].is_null());
}

TEST_P(PersonTest, EveryViewIsAudited) {
  auto created = svc_->CreatePerson(city_, Sample("李四", "421003001", MakeId("421003", "19900101", 2)));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  const std::string oid = std::to_string(created->id);
  EXPECT_EQ(AuditRows("registry.person.create", oid).size(), 1u);
  ASSERT_TRUE(svc_->GetPerson(city_, created->id).ok());
  ASSERT_TRUE(svc_->GetPerson(city_, created->id).ok());
  auto views = AuditRows("registry.person.view", oid);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].username, "user1");
  EXPECT_EQ(views[0].object_type, "person");
  // The create row names the fields, never the values.
  auto create = AuditRows("registry.person.create", oid);
  EXPECT_NE(create[0].detail.find("id_number"), std::string::npos);
  EXPECT_EQ(create[0].detail.find("13812345678"), std::string::npos);
  EXPECT_EQ(create[0].detail.find("李四"), std::string::npos);
}

TEST_P(PersonTest, SearchByNameIdDivisionAndSex) {
  struct In {
    std::string name, division, birth;
    int seq;
  };
  const std::vector<In> input = {
      {"王小明", "421003001", "19700101", 11}, {"王小红", "421003100", "19710202", 22},
      {"赵明", "421002001", "19720303", 33},   {"钱明亮", "421022100", "19730404", 44},
      {"孙丽", "421003002", "19740505", 55},
  };
  std::vector<int64_t> ids;
  std::vector<std::string> numbers;
  for (const auto& in : input) {
    std::string county = in.division.substr(0, 6);
    numbers.push_back(MakeId(county, in.birth, in.seq));
    auto p = svc_->CreatePerson(city_, Sample(in.name, in.division, numbers.back()));
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ids.push_back(p->id);
  }
  auto names = [](const Page<Person>& page) {
    std::vector<std::string> out;
    for (const auto& p : page.items) out.push_back(p.name);
    std::sort(out.begin(), out.end());
    return out;
  };

  PersonQuery q;
  q.name = "明";
  auto r = svc_->SearchPersons(city_, q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->total, 3);
  EXPECT_EQ(names(*r), (std::vector<std::string>{"王小明", "赵明", "钱明亮"}));
  for (const auto& p : r->items) EXPECT_TRUE(p.masked);

  q = {};
  q.id_number = numbers[3];
  r = svc_->SearchPersons(city_, q);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->total, 1);
  EXPECT_EQ(r->items[0].id, ids[3]);

  q = {};
  q.division = "421003";
  r = svc_->SearchPersons(city_, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(names(*r), (std::vector<std::string>{"孙丽", "王小明", "王小红"}));

  q = {};
  q.division = "421003001";
  r = svc_->SearchPersons(city_, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(names(*r), (std::vector<std::string>{"王小明"}));

  // Sequence parity gives sex: 11, 33, 55 odd (male); 22, 44 even (female).
  q = {};
  q.sex = 2;
  r = svc_->SearchPersons(city_, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(names(*r), (std::vector<std::string>{"王小红", "钱明亮"}));

  // Paging: 5 persons, size 2 -> pages of 2, 2, 1, newest first.
  q = {};
  q.size = 2;
  q.page = 3;
  r = svc_->SearchPersons(city_, q);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->total, 5);
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].id, ids[0]);

  // A malformed ID number in a search is a field error, not an empty list.
  q = {};
  q.id_number = "123";
  r = svc_->SearchPersons(city_, q);
  EXPECT_EQ(r.status().code(), Code::kInvalid);
}

TEST_P(PersonTest, DuplicateIdIsRefusedWithTheExistingId) {
  const std::string id = testing::WithCheck("11010519491231002");
  ASSERT_EQ(id, "11010519491231002X");  // the standard's own example
  auto first = svc_->CreatePerson(city_, Sample("甲", "421003001", id));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  // Lower-case x is the same number.
  auto second = svc_->CreatePerson(city_, Sample("乙", "421002001", "11010519491231002x"));
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), Code::kConflict);
  EXPECT_EQ(second.status().error_code(), "registry.person.duplicate_id");
  EXPECT_EQ(second.status().message(), "该身份证号码已登记");
  ASSERT_FALSE(second.status().details().empty());
  const FieldError& existing = second.status().details()[0];  // docs/api: details[0] names the person
  EXPECT_EQ(existing.field, "existing_person_id");
  EXPECT_EQ(existing.message, std::to_string(first->id));
  EXPECT_NE(FindDetail(second.status(), "id_number"), nullptr);
  EXPECT_EQ(CountRows("SELECT count(*) FROM persons"), 1);

  // Changing another person's number to it is refused the same way.
  auto other = svc_->CreatePerson(city_, Sample("丙", "421003001", MakeId("421003", "19850101", 7)));
  ASSERT_TRUE(other.ok());
  PersonFields change;
  change.id_number = id;
  auto updated = svc_->UpdatePerson(city_, other->id, other->version, change, {"id_number"});
  EXPECT_EQ(updated.status().error_code(), "registry.person.duplicate_id");
  ASSERT_NE(FindDetail(updated.status(), "existing_person_id"), nullptr);
  EXPECT_EQ(FindDetail(updated.status(), "existing_person_id")->message, std::to_string(first->id));
}

TEST_P(PersonTest, InvalidFieldsNameTheFieldAndWriteNothing) {
  std::string bad_check = MakeId("421003", "19800315", 123);
  bad_check.back() = bad_check.back() == '0' ? '1' : '0';
  auto r = svc_->CreatePerson(city_, Sample("张三", "421003001", bad_check));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalid);
  EXPECT_EQ(r.status().error_code(), "registry.id_number.check_digit");
  ASSERT_NE(FindDetail(r.status(), "id_number"), nullptr);

  NewPerson p = Sample("张三", "421003001", MakeId("421003", "19800315", 123));
  p.phone = "12345";
  p.ethnicity = "99";
  p.birth_date = "1980-03-16";  // the ID says 03-15
  r = svc_->CreatePerson(city_, p);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(FindDetail(r.status(), "phone"), nullptr);
  EXPECT_NE(FindDetail(r.status(), "ethnicity"), nullptr);
  ASSERT_NE(FindDetail(r.status(), "birth_date"), nullptr);
  EXPECT_EQ(FindDetail(r.status(), "birth_date")->code, "registry.birth_date.mismatch");

  p = Sample("", "421003001", "");
  p.sex = 3;
  p.division_code = "4210";  // a city, not a county or township
  r = svc_->CreatePerson(city_, p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(FindDetail(r.status(), "name")->code, "registry.name.required");
  EXPECT_EQ(FindDetail(r.status(), "sex")->code, "registry.sex.invalid");
  EXPECT_EQ(FindDetail(r.status(), "division_code")->code, "registry.division_code.level");

  p = Sample("", "421003001", "");
  for (int i = 0; i < 51; ++i) p.name += "张";
  r = svc_->CreatePerson(city_, p);
  EXPECT_EQ(r.status().error_code(), "registry.name.too_long");
  p.name = "\xff\xfe";
  r = svc_->CreatePerson(city_, p);
  EXPECT_EQ(r.status().error_code(), "registry.name.encoding");
  p.name = "张三";
  p.birth_date = "2025-06-02";  // tomorrow
  r = svc_->CreatePerson(city_, p);
  EXPECT_EQ(r.status().error_code(), "registry.birth_date.future");
  p.birth_date = "2023-02-29";
  r = svc_->CreatePerson(city_, p);
  EXPECT_EQ(r.status().error_code(), "registry.birth_date.invalid");

  EXPECT_EQ(CountRows("SELECT count(*) FROM persons"), 0);
  EXPECT_EQ(AuditRows("registry.person.create").size(), 0u);
}

TEST_P(PersonTest, UnknownIdentityWithEstimatedAge) {
  NewPerson p;
  p.name = "无名氏";
  p.estimated_age = 60;
  p.division_code = "421002";
  p.flags = "vagrant, unknown_identity,vagrant";
  auto r = svc_->CreatePerson(city_, p);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->flags, "vagrant,unknown_identity");
  EXPECT_TRUE(r->id_number.empty());
  auto j = PersonJsonForTest(*r);
  EXPECT_EQ(j["age"], 60);
  EXPECT_TRUE(j["id_number"].is_null());
  EXPECT_TRUE(j["birth_date"].is_null());

  // Two persons without an ID number do not collide on the unique index.
  ASSERT_TRUE(svc_->CreatePerson(city_, p).ok());

  // Identified later: the ID brings the birth date and the estimate goes.
  PersonFields f;
  f.id_number = MakeId("421002", "19650720", 8);
  auto u = svc_->UpdatePerson(city_, r->id, r->version, f, {"id_number"});
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->birth_date, "1965-07-20");
  EXPECT_EQ(u->sex, 2);
  EXPECT_FALSE(u->estimated_age.has_value());
  EXPECT_EQ(u->version, r->version + 1);
}

TEST_P(PersonTest, ScopeHidesOtherCountiesAsNotFound) {
  auto mine = svc_->CreatePerson(jingzhou_, Sample("荆州人", "421003001", MakeId("421003", "19800101", 1)));
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  auto theirs = svc_->CreatePerson(shashi_, Sample("沙市人", "421002001", MakeId("421002", "19800101", 3)));
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();

  EXPECT_TRUE(svc_->GetPerson(jingzhou_, mine->id).ok());
  auto hidden = svc_->GetPerson(jingzhou_, theirs->id);
  EXPECT_EQ(hidden.status().code(), Code::kNotFound);
  // Same answer as for an id that does not exist at all.
  auto missing = svc_->GetPerson(jingzhou_, 999999);
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_EQ(hidden.status().error_code(), missing.status().error_code());
  EXPECT_EQ(hidden.status().message(), missing.status().message());

  PersonFields f;
  f.name = "改名";
  EXPECT_EQ(svc_->UpdatePerson(jingzhou_, theirs->id, theirs->version, f, {"name"}).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Person360(jingzhou_, theirs->id).status().code(), Code::kNotFound);
  auto list = svc_->SearchPersons(jingzhou_, {});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->total, 1);
  EXPECT_EQ(list->items[0].id, mine->id);
  // Asking for the other county's prefix explicitly still yields nothing.
  PersonQuery q;
  q.division = "421002";
  EXPECT_EQ(svc_->SearchPersons(jingzhou_, q)->total, 0);

  // Creating in, or moving a record to, another county is refused.
  auto outside = svc_->CreatePerson(jingzhou_, Sample("越界", "421002001", ""));
  EXPECT_EQ(outside.status().code(), Code::kForbidden);
  f = {};
  f.division_code = "421002001";
  EXPECT_EQ(svc_->UpdatePerson(jingzhou_, mine->id, mine->version, f, {"division_code"}).status().code(),
            Code::kForbidden);
  EXPECT_EQ(CountRows("SELECT count(*) FROM persons WHERE division_code LIKE '421002%'"), 1);

  // A city-wide user sees both; an own-scope user only what they created.
  EXPECT_EQ(svc_->SearchPersons(city_, {})->total, 2);
  auto own = svc_->CreatePerson(own_, Sample("自建", "421003001", ""));
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(svc_->SearchPersons(own_, {})->total, 1);
  EXPECT_EQ(svc_->GetPerson(own_, mine->id).status().code(), Code::kNotFound);
  EXPECT_TRUE(svc_->GetPerson(own_, own->id).ok());
}

TEST_P(PersonTest, RevealNeedsPermissionAndPurposeAndIsAudited) {
  const std::string id = MakeId("421003", "19800315", 123);
  auto p = svc_->CreatePerson(jingzhou_, Sample("张三", "421003001", id));
  ASSERT_TRUE(p.ok()) << p.status().ToString();

  auto denied = svc_->Reveal(jingzhou_, p->id, "核对低保申请材料", {});
  EXPECT_EQ(denied.status().code(), Code::kForbidden);
  auto denied_rows = AuditRows("pii.reveal", std::to_string(p->id));
  ASSERT_EQ(denied_rows.size(), 1u);
  EXPECT_EQ(denied_rows[0].outcome, "denied");

  platform::Principal revealer = jingzhou_;
  revealer.permissions.insert("pii.reveal");
  auto no_purpose = svc_->Reveal(revealer, p->id, "  核对 ", {});
  EXPECT_EQ(no_purpose.status().code(), Code::kInvalid);
  EXPECT_EQ(no_purpose.status().error_code(), "registry.reveal.purpose_required");
  ASSERT_NE(FindDetail(no_purpose.status(), "purpose"), nullptr);

  auto bad_field = svc_->Reveal(revealer, p->id, "核对低保申请材料", {"address"});
  EXPECT_EQ(bad_field.status().code(), Code::kInvalid);

  auto ok = svc_->Reveal(revealer, p->id, "核对低保申请材料", {"id_number"});
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(*ok->id_number, id);
  EXPECT_FALSE(ok->phone.has_value());
  auto both = svc_->Reveal(revealer, p->id, "电话回访核实", {});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(*both->phone, "13812345678");

  auto rows = AuditRows("pii.reveal", std::to_string(p->id));
  int successes = 0;
  bool found_purpose = false;
  for (const auto& r : rows) {
    if (r.outcome != "success") continue;
    ++successes;
    auto detail = nlohmann::json::parse(r.detail);
    if (detail["purpose"] == "核对低保申请材料") {
      found_purpose = true;
      EXPECT_EQ(detail["fields"], nlohmann::json::array({"id_number"}));
    }
    EXPECT_EQ(r.detail.find(id), std::string::npos);  // the value itself is never in the log
  }
  EXPECT_EQ(successes, 2);
  EXPECT_TRUE(found_purpose);

  // Out of scope: NotFound even with the permission.
  platform::Principal other = shashi_;
  other.permissions.insert("pii.reveal");
  EXPECT_EQ(svc_->Reveal(other, p->id, "核对低保申请材料", {}).status().code(), Code::kNotFound);
}

TEST_P(PersonTest, UpdateChecksVersionAndAuditsChangedFieldNames) {
  auto p = svc_->CreatePerson(city_, Sample("张三", "421003001", MakeId("421003", "19800315", 123)));
  ASSERT_TRUE(p.ok());
  PersonFields f;
  f.phone = "027-8888 1234";
  f.address = "新地址";
  f.name = "张三";  // unchanged: not in the audit detail
  auto u = svc_->UpdatePerson(city_, p->id, p->version, f, {"phone", "address", "name"});
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->version, 2);
  EXPECT_EQ(u->address, "新地址");
  EXPECT_EQ(u->phone, "027****1234");

  auto stale = svc_->UpdatePerson(city_, p->id, 1, f, {"address"});
  EXPECT_EQ(stale.status().code(), Code::kConflict);
  EXPECT_EQ(stale.status().error_code(), "version_conflict");

  auto rows = AuditRows("registry.person.update", std::to_string(p->id));
  ASSERT_EQ(rows.size(), 1u);
  auto detail = nlohmann::json::parse(rows[0].detail);
  std::vector<std::string> fields = detail["fields"];
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{"address", "phone"}));
  EXPECT_EQ(rows[0].detail.find("新地址"), std::string::npos);
  EXPECT_EQ(rows[0].detail.find("8888"), std::string::npos);

  // The new phone is findable by exact number; the old one no longer.
  PersonQuery q;
  q.phone = "02788881234";
  EXPECT_EQ(svc_->SearchPersons(city_, q)->total, 1);
  q.phone = "13812345678";
  EXPECT_EQ(svc_->SearchPersons(city_, q)->total, 0);

  // Sending back the masked values the form was shown changes nothing.
  PersonFields echo;
  echo.id_number = u->id_number;
  echo.phone = u->phone;
  auto same = svc_->UpdatePerson(city_, p->id, 2, echo, {"id_number", "phone"});
  ASSERT_TRUE(same.ok()) << same.status().ToString();
  EXPECT_EQ(same->version, 2);
  EXPECT_EQ(svc_->LoadPerson(p->id)->phone, "02788881234");

  // An unknown field name is refused before anything happens.
  EXPECT_EQ(svc_->UpdatePerson(city_, p->id, 2, f, {"version"}).status().error_code(), "registry.update.unknown_field");
  // A field error on update writes nothing.
  f.ethnicity = "77";
  EXPECT_EQ(svc_->UpdatePerson(city_, p->id, 2, f, {"ethnicity"}).status().code(), Code::kInvalid);
  EXPECT_EQ(svc_->LoadPerson(p->id)->version, 2);
}

INSTANTIATE_TEST_SUITE_P(Db, PersonTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const auto& info) { return db::DialectName(info.param); });

}  // namespace
}  // namespace doudi::registry
