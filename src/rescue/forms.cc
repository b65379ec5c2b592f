#include "rescue/forms.h"

#include <fmt/format.h>

#include "common/pdf.h"
#include "common/time.h"

namespace doudi::rescue {
namespace {

using nlohmann::json;

// A string member, "" when missing, null or not a string.
std::string S(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}
std::string N(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->dump() : "";
}
const json& Obj(const json& j, const char* key) {
  static const json kEmpty = json::object();
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? *it : kEmpty;
}
const json& Arr(const json& j, const char* key) {
  static const json kEmpty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : kEmpty;
}

std::string Or(std::string s, const char* blank = "") { return s.empty() ? blank : s; }

// Stored UTC times in Shanghai wall-clock time to the minute ("2025-01-23 10:00"); "" stays "".
std::string Local(const std::string& utc) {
  if (utc.empty()) return "";
  std::string s = ToShanghai(std::string_view(utc));
  return s.size() >= 16 ? s.substr(0, 16) : s;
}
std::string LocalDate(const std::string& utc) { return Local(utc).substr(0, 10); }

std::string SexText(const json& k) {
  auto it = k.find("sex");
  int sex = it != k.end() && it->is_number_integer() ? it->get<int>() : 0;
  switch (sex) {
    case 1: return "男";
    case 2: return "女";
    case 9: return "未说明";
    default: return "未知";
  }
}

std::string NameOf(const json& k) { return Or(S(k, "name"), "无名氏（身份不明）"); }

std::string AgeText(const json& k) {
  if (!S(k, "birth_date").empty()) return "出生日期 " + S(k, "birth_date");
  if (!N(k, "estimated_age").empty()) return "约 " + N(k, "estimated_age") + " 岁（估计）";
  return "不详";
}

std::string HowCame(const json& k) {
  const std::string h = S(k, "how_came");
  if (h == "self") return "自行求助";
  if (h == "police") return "公安机关护送（" + S(k, "police_unit") + "，交接单 " + S(k, "police_form_ref") + "）";
  if (h == "patrol") return "街面巡查引导（巡查记录 " + S(k, "patrol_ref") + "）";
  if (h == "referral") return "转介（" + S(k, "referral_from") + "）";
  return h;
}

std::string Screening(const json& k) {
  const json& s = Obj(k, "screening");
  std::vector<std::string> found;
  auto flag = [&](const char* key, const char* text) {
    auto it = s.find(key);
    if (it != s.end() && it->is_boolean() && it->get<bool>()) found.push_back(text);
  };
  flag("mental_illness", "疑似精神障碍");
  flag("infectious_disease", "传染病");
  flag("critical_illness", "危重病");
  flag("injury", "外伤");
  flag("danger", "危及自身或他人安全");
  flag("drugs_or_fugitive", "疑似吸毒或在逃人员");
  std::string out = found.empty() ? "未见异常" : fmt::format("{}", fmt::join(found, "、"));
  const std::string to = S(k, "referred_to");
  if (to.find("hospital") != std::string::npos) out += "；送医救治";
  if (to.find("police") != std::string::npos) out += "；报告公安机关";
  if (!S(s, "note").empty()) out += "（" + S(s, "note") + "）";
  return out;
}

std::string DepartureKind(const std::string& kind) {
  if (kind == "self") return "自行离站";
  if (kind == "relatives") return "亲属接领";
  if (kind == "escort_home") return "护送返乡";
  if (kind == "transfer") return "转移";
  if (kind == "death") return "死亡";
  if (kind == "termination") return "终止救助";
  return kind;
}

std::string FoundBy(const std::string& f) {
  if (f == "conversation") return "甄别问询";
  if (f == "police") return "公安机关";
  if (f == "dna") return "DNA 比对";
  if (f == "face") return "人像比对";
  if (f == "media") return "媒体寻亲";
  return f;
}

std::string StationName(const json& k, const FormOptions& o) {
  if (!o.station_name.empty()) return o.station_name;
  std::string full = S(k, "station_division_name");
  auto sp = full.find_last_of(' ');
  std::string last = sp == std::string::npos ? full : full.substr(sp + 1);
  return (last.empty() ? S(k, "station_division") : last) + "救助管理站";
}

pdf::Table BelongingsTable(const json& page) {
  pdf::Table t;
  t.columns = {{"物品", 3}, {"数量", 1, pdf::Align::kRight}, {"登记时间", 2}, {"退还情况", 3}};
  for (const auto& b : Arr(page, "belongings")) {
    std::string returned = b.value("returned", false)
                               ? fmt::format("{} 退还 {}（签收 {}）", Local(S(b, "returned_at")),
                                             S(b, "returned_to"), S(b, "signature_ref"))
                               : "代为保管中";
    t.rows.push_back({S(b, "description"), N(b, "quantity"), Local(S(b, "held_at")), returned});
  }
  return t;
}

// Where the form applies, and why not in Chinese.
Status Applies(const std::string& code, const json& k) {
  const std::string status = S(k, "status");
  const std::string kind = S(k, "departure_kind");
  auto no = [](const std::string& msg) { return Status::Conflict("rescue.form.not_applicable", msg); };
  if (code == "intake") return Status::Ok();
  if (code == "refusal") {
    return status == "refused" ? Status::Ok() : no("该求助未作不予救助决定，不能出具《不予救助通知书》");
  }
  if (code == "self_departure") {
    if (status == "in_station" || (status == "departed" && kind == "self")) return Status::Ok();
    return no("该人员不在站且不是自行离站，不能出具《自行离站声明书》");
  }
  if (code == "stay_departure") {
    return status != "refused" ? Status::Ok() : no("该求助已不予救助，未入站，没有《在站服务及离站登记表》");
  }
  if (code == "termination") {
    return status == "departed" && kind == "termination"
               ? Status::Ok()
               : no("该人员未办理终止救助离站，不能出具《终止救助通知书》");
  }
  if (code == "police_handover") {
    return S(k, "how_came") == "police" ? Status::Ok()
                                        : no("该人员不是由公安机关护送来站，没有《公安机关护送流浪乞讨人员交接单》");
  }
  return Status::InvalidField("form", "rescue.form.unknown",
                              "没有这种表单：" + code +
                                  "（可选 intake、refusal、self_departure、stay_departure、termination、police_handover）");
}

const char* TitleOf(const std::string& code) {
  for (const auto& f : RescueForms()) {
    if (code == f.code) return f.title;
  }
  return "";
}

// Two rows of signature lines: a row of long labels leaves too little line to sign on.
void Sign(pdf::Document& d, std::vector<std::string> first, std::vector<std::string> second) {
  d.Signatures(std::move(first));
  d.Space(14);
  d.Signatures(std::move(second));
}

// --- the forms ---

void Intake(pdf::Document& d, const json& page, const json& k) {
  d.KeyValues({{"姓名", NameOf(k)},
               {"性别", SexText(k)},
               {"年龄", AgeText(k)},
               {"身高", N(k, "height_cm").empty() ? "" : N(k, "height_cm") + " 厘米"},
               {"身份", k.value("identified", false) ? "已核实" : "身份不明，先救助后核查"},
               {"户籍地址", S(k, "hukou_address")},
               {"求助时间", Local(S(k, "intake_at"))},
               {"来站方式", HowCame(k)},
               {"发现地点", S(k, "found_place")},
               {"发现日期", S(k, "found_date")},
               {"体貌特征", S(k, "features")},
               {"衣着", S(k, "clothing")},
               {"口音方言", S(k, "dialect")},
               {"亲属联系方式", S(k, "relatives_contact")},
               {"健康及精神状况", S(k, "health_state")},
               {"精神或智力残疾", k.value("mental_disability", false) ? "是" : "否"},
               {"房间 / 床位", S(k, "room") + (S(k, "bed").empty() ? "" : " / " + S(k, "bed"))},
               {"初步甄别", Screening(k)}},
              2);
  d.Heading("求助原因及流浪乞讨经过");
  d.Paragraph(Or(S(k, "reason"), "（未填写）"));
  d.Heading("随身物品（代为保管，离站时退还）");
  d.AddTable(BelongingsTable(page));
  d.Space(8);
  d.Paragraph("以上情况属实。本人已知晓救助期间应遵守站内管理规定。");
  d.Space(16);
  Sign(d, {"求助人（签字或按手印）", "日期"}, {"登记人", "日期"});
}

void Refusal(pdf::Document& d, const json& k, const std::string& station) {
  const json& r = Obj(k, "refusal");
  d.Paragraph(NameOf(k) + "：", {.size = 11});
  d.Paragraph(fmt::format("    你于 {} 向本站求助。经询问和甄别，因{}，根据《城市生活无着的流浪乞讨人员救助管理办法》"
                          "及其实施细则的规定，本站决定对你不予救助。",
                          Local(S(k, "intake_at")), Or(S(r, "reason"), "不符合救助条件")),
              {.size = 11});
  d.Paragraph("    如对本决定有异议，可向本站或本站的主管民政部门反映。", {.size = 11});
  d.Paragraph("    特此通知。", {.size = 11});
  d.Space(24);
  d.Paragraph(station, {.size = 11, .align = pdf::Align::kRight});
  d.Paragraph(LocalDate(S(r, "at")), {.size = 11, .align = pdf::Align::kRight});
  d.Space(24);
  Sign(d, {"被通知人（签字）", "日期"}, {"经办人", "日期"});
}

void SelfDeparture(pdf::Document& d, const json& page, const json& k, const std::string& station) {
  const json& dep = Obj(k, "departure");
  d.Paragraph(fmt::format("    本人 {}，性别 {}，{}，于 {} 进入{}接受救助。", NameOf(k), SexText(k), AgeText(k),
                          Local(S(k, "intake_at")), station),
              {.size = 11});
  d.Paragraph("    现本人自愿要求离开救助站，放弃继续救助。本人已领回全部随身物品，离站后的行为及安全由本人负责。",
              {.size = 11});
  d.KeyValues({{"离站时间", Local(S(k, "departed_at"))}, {"去向", S(dep, "note")}}, 2);
  d.Heading("随身物品退还");
  d.AddTable(BelongingsTable(page));
  d.Space(24);
  Sign(d, {"声明人（签字或按手印）", "日期"}, {"见证工作人员", "日期"});
}

void StayDeparture(pdf::Document& d, const json& page, const json& k) {
  const json& stay = Obj(page, "stay");
  d.KeyValues({{"姓名", NameOf(k)},
               {"性别", SexText(k)},
               {"年龄", AgeText(k)},
               {"入站时间", Local(S(k, "intake_at"))},
               {"房间 / 床位", S(k, "room") + (S(k, "bed").empty() ? "" : " / " + S(k, "bed"))},
               {"在站天数", N(stay, "days")},
               {"十日期限", Or(S(stay, "limit_date"), "不适用")},
               {"延期", S(Obj(k, "extension"), "until")}},
              2);
  d.Heading("一、在站服务记录");
  pdf::Table care;
  care.columns = {{"时间", 2}, {"类别", 1}, {"内容", 4}, {"体温 ℃", 1, pdf::Align::kRight}};
  for (const auto& r : Arr(page, "care")) {
    const std::string kind = S(r, "kind");
    const char* kind_text = kind == "meal"           ? "餐食"
                            : kind == "health_check" ? "健康检查"
                            : kind == "temperature"  ? "体温"
                            : kind == "medical"      ? "医疗"
                            : kind == "service"      ? "服务"
                                                     : "";
    std::string t;
    if (auto it = r.find("temperature"); it != r.end() && it->is_number()) t = fmt::format("{:.1f}", it->get<double>());
    care.rows.push_back({Local(S(r, "recorded_at")), kind_text, S(r, "detail"), t});
  }
  d.AddTable(std::move(care));
  d.Heading("二、安置托养");
  pdf::Table pl;
  pl.columns = {{"类别", 1}, {"机构编号", 1}, {"开始日期", 1}, {"结束日期", 1}, {"说明", 3}};
  for (const auto& p : Arr(page, "placements")) {
    pl.rows.push_back({S(p, "kind") == "hospital" ? "定点医院" : "托养机构", N(p, "institution_id"),
                       S(p, "start_date"), S(p, "end_date"),
                       S(p, "note") + (S(p, "end_reason").empty() ? "" : "（" + S(p, "end_reason") + "）")});
  }
  d.AddTable(std::move(pl));
  d.Heading("三、随身物品");
  d.AddTable(BelongingsTable(page));
  d.Heading("四、离站登记");
  const json& dep = Obj(k, "departure");
  std::string escort;
  if (auto it = dep.find("escort_staff"); it != dep.end() && it->is_array()) {
    for (const auto& s : *it) escort += (escort.empty() ? "" : "、") + (s.is_string() ? s.get<std::string>() : "");
  }
  std::string receiver = S(dep, "relative_name");
  if (!receiver.empty() && !S(dep, "relative_relation").empty()) receiver += "（" + S(dep, "relative_relation") + "）";
  if (receiver.empty()) receiver = S(dep, "transfer_to");
  d.KeyValues({{"离站时间", Local(S(k, "departed_at"))},
               {"离站方式", DepartureKind(S(k, "departure_kind"))},
               {"接领人 / 去向", receiver},
               {"寻亲途径", FoundBy(S(k, "found_by"))},
               {"护送路线", S(dep, "route")},
               {"护送人员", escort},
               {"交接单号", S(dep, "handover_ref")},
               {"备注", S(dep, "reason")}},
              2);
  d.Space(24);
  Sign(d, {"受助人或接领人（签字）", "日期"}, {"经办人", "审核人", "日期"});
}

void Termination(pdf::Document& d, const json& k, const std::string& station) {
  const json& dep = Obj(k, "departure");
  d.Paragraph(NameOf(k) + "：", {.size = 11});
  d.Paragraph(fmt::format("    你于 {} 进入本站接受救助。因{}，根据《城市生活无着的流浪乞讨人员救助管理办法实施细则》的规定，"
                          "本站决定自 {} 起终止对你的救助。",
                          Local(S(k, "intake_at")), Or(S(dep, "reason"), "不再符合救助条件"),
                          LocalDate(S(k, "departed_at"))),
              {.size = 11});
  d.Paragraph("    请于终止救助后离开救助站，并领回随身物品。特此通知。", {.size = 11});
  d.Space(24);
  d.Paragraph(station, {.size = 11, .align = pdf::Align::kRight});
  d.Paragraph(LocalDate(S(k, "departed_at")), {.size = 11, .align = pdf::Align::kRight});
  d.Space(24);
  Sign(d, {"被通知人（签字）", "日期"}, {"经办人", "日期"});
}

void PoliceHandover(pdf::Document& d, const json& page, const json& k, const std::string& station) {
  d.KeyValues({{"护送单位", S(k, "police_unit")},
               {"接收单位", station},
               {"被护送人员姓名", NameOf(k)},
               {"性别", SexText(k)},
               {"年龄", AgeText(k)},
               {"身高", N(k, "height_cm").empty() ? "" : N(k, "height_cm") + " 厘米"},
               {"发现地点", S(k, "found_place")},
               {"发现日期", S(k, "found_date")},
               {"体貌特征", S(k, "features")},
               {"衣着", S(k, "clothing")},
               {"健康状况", S(k, "health_state")},
               {"交接时间", Local(S(k, "intake_at"))}},
              2);
  d.Heading("随身物品");
  d.AddTable(BelongingsTable(page));
  d.Space(8);
  d.Paragraph("经双方当面清点，上述人员及随身物品已移交接收单位。", {.size = 10});
  d.Space(24);
  Sign(d, {"护送民警（签字）", "警号"}, {"接收人（签字）", "日期"});
}

}  // namespace

const std::vector<FormSpec>& RescueForms() {
  static const std::vector<FormSpec> kForms = {
      {"intake", "求助登记表"},
      {"refusal", "不予救助通知书"},
      {"self_departure", "自行离站声明书"},
      {"stay_departure", "在站服务及离站登记表"},
      {"termination", "终止救助通知书"},
      {"police_handover", "公安机关护送流浪乞讨人员交接单"},
  };
  return kForms;
}

std::vector<std::string> ApplicableForms(const json& page) {
  std::vector<std::string> out;
  for (const auto& f : RescueForms()) {
    if (Applies(f.code, Obj(page, "case")).ok()) out.push_back(f.code);
  }
  return out;
}

Status FormApplies(const std::string& code, const json& page) { return Applies(code, Obj(page, "case")); }

std::string FormNumber(const std::string& code, const json& page) {
  const json& k = Obj(page, "case");
  std::string recorded;
  if (code == "refusal") recorded = S(Obj(k, "refusal"), "notice_ref");
  if (code == "self_departure") recorded = S(Obj(k, "departure"), "declaration_ref");
  if (code == "termination") recorded = S(Obj(k, "departure"), "termination_notice_ref");
  if (code == "police_handover") recorded = S(k, "police_form_ref");
  if (!recorded.empty()) return recorded;
  int64_t id = k.value("id", int64_t{0});
  return fmt::format("{}-{}-{:06d}", S(k, "station_division"), LocalDate(S(k, "intake_at")).substr(0, 4), id);
}

Result<std::string> RenderForm(const std::string& code, const json& page, const FormOptions& options) {
  DOUDI_RETURN_IF_ERROR(FormApplies(code, page));
  const json& k = Obj(page, "case");
  const std::string station = StationName(k, options);
  const std::string title = TitleOf(code);
  const std::string number = FormNumber(code, page);
  const std::string printed_at = options.printed_at.empty() ? NowUtcIso() : options.printed_at;
  std::string footer = station + " · 打印于 " + Local(printed_at);
  if (!options.printed_by.empty()) footer += " · " + options.printed_by;
  pdf::Document d({.title = title,
                   .author = station,
                   .subject = title + " " + number,
                   .header = "编号：" + number,
                   .footer = footer,
                   .created_at = printed_at});
  d.Title(title, station);
  if (code == "intake") Intake(d, page, k);
  if (code == "refusal") Refusal(d, k, station);
  if (code == "self_departure") SelfDeparture(d, page, k, station);
  if (code == "stay_departure") StayDeparture(d, page, k);
  if (code == "termination") Termination(d, k, station);
  if (code == "police_handover") PoliceHandover(d, page, k, station);
  return d.Render();
}

}  // namespace doudi::rescue
