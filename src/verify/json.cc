#include "verify/json.h"

#include <algorithm>

#include "platform/jobs.h"
#include "registry/codes.h"
#include "verify/engine/rules.h"
#include "verify/feeds/feeds.h"

namespace doudi::verify {
namespace {

using nlohmann::json;

json OrNull(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

std::string FeedBatchStatusName(const std::string& s) {
  if (s == "importing") return "导入中";
  if (s == "imported") return "已导入";
  if (s == "rejected") return "已拒收";
  if (s == "failed") return "失败";
  return s;
}

std::string AuthorisationStatusName(const std::string& s) {
  if (s == "valid") return "有效";
  if (s == "lapsed") return "已失效（家庭成员变更）";
  if (s == "revoked") return "已撤回";
  return "未授权";
}

}  // namespace

std::string DecisionNameOf(const std::string& code) {
  for (auto d : {Decision::kEligible, Decision::kIneligible, Decision::kReview}) {
    if (DecisionCode(d) == code) return std::string(DecisionName(d));
  }
  return code;
}

std::string FlagNameOf(const std::string& code) {
  uint32_t f = 0;
  return ParseFlagCode(code, &f) ? std::string(FlagName(f)) : code;
}

json SourcesJson() {
  json items = json::array();
  for (int i = 0; i < kFeedCount; ++i) {
    auto feed = static_cast<Feed>(i);
    json columns = json::array(), required = json::array();
    for (const auto& c : feeds::Spec(feed).columns) {
      columns.push_back(std::string(c.name));
      if (c.required) required.push_back(std::string(c.name));
    }
    items.push_back({{"source", FeedCode(feed)},
                     {"name", FeedName(feed)},
                     {"file_name", feeds::Spec(feed).file_name},
                     {"columns", std::move(columns)},
                     {"required_columns", std::move(required)}});
  }
  return {{"items", std::move(items)}};
}

json FeedBatchJson(const FeedBatch& b) {
  Feed feed;
  std::string source_name = ParseFeedCode(b.source, &feed) ? std::string(FeedName(feed)) : b.source;
  return {{"id", b.id},
          {"source", b.source},
          {"source_name", source_name},
          {"period", b.period},
          {"filename", b.filename},
          {"format", b.format},
          {"encoding", OrNull(b.encoding)},
          {"content_hash", b.content_hash},
          {"size_bytes", b.size_bytes},
          {"on_reject", b.on_reject == OnReject::kKeepGood ? "keep_good" : "all_or_nothing"},
          {"forced", b.forced},
          {"status", b.status},
          {"status_name", FeedBatchStatusName(b.status)},
          {"rows_total", b.rows_total},
          {"rows_imported", b.rows_imported},
          {"rows_rejected", b.rows_rejected},
          {"error", OrNull(b.error)},
          {"job_id", b.job_id ? json(*b.job_id) : json(nullptr)},
          {"data_date", OrNull(b.data_date)},
          {"created_at", b.created_at},
          {"created_by", b.created_by},
          {"created_by_name", b.created_by_name},
          {"finished_at", OrNull(b.finished_at)}};
}

json FeedRejectJson(const FeedReject& r) {
  return {{"row", r.row}, {"column", r.column}, {"code", r.code}, {"reason", r.reason}};
}

json AuthorisationJson(const Authorisation& a) {
  return {{"id", a.id},
          {"household_id", a.household_id},
          {"person_id", a.person_id},
          {"signed_on", a.signed_on},
          {"signer_name", a.signer_name},
          {"signed_by_guardian", a.signed_by_guardian},
          {"guardian_name", a.guardian_name},
          {"guardian_id_number", a.guardian_id_number},
          {"guardian_relation", a.guardian_relation},
          {"form_file", a.form_file},
          {"notes", a.notes},
          {"status", a.status},
          {"status_name", AuthorisationStatusName(a.status)},
          {"revoked_reason", a.revoked ? json(a.revoked_reason) : json(nullptr)},
          {"version", a.version},
          {"created_at", a.created_at},
          {"created_by", a.created_by},
          {"created_by_name", a.created_by_name}};
}

json HouseholdAuthorisationsJson(const HouseholdAuthorisations& h) {
  json members = json::array();
  for (const auto& m : h.members) {
    members.push_back({{"person_id", m.person_id},
                       {"name", m.name},
                       {"relation", m.relation},
                       {"relation_name", registry::CodeName("relation", m.relation)},
                       {"id_number", m.id_number},
                       {"minor", m.minor},
                       {"status", m.status},
                       {"status_name", AuthorisationStatusName(m.status)},
                       {"authorisation", m.authorisation ? AuthorisationJson(*m.authorisation) : json(nullptr)}});
  }
  return {{"household_id", h.household_id}, {"all_valid", h.all_valid}, {"members", std::move(members)}};
}

json VerificationJson(const Verification& v, const Divisions& divisions) {
  std::string township = v.division_code.substr(0, std::min<size_t>(9, v.division_code.size()));
  const Division* d = divisions.Find(township);
  json flag_names = json::array();
  for (const auto& f : v.flags) flag_names.push_back(FlagNameOf(f));
  json j = {{"id", v.id},
            {"household_id", v.household_id},
            {"batch_id", v.batch_id ? json(*v.batch_id) : json(nullptr)},
            {"division_code", v.division_code},
            {"township", township},
            {"township_name", d ? d->name : township},
            {"head_name", v.head_name},
            {"urban_rural", v.urban_rural},
            {"decision", v.decision},
            {"decision_name", DecisionNameOf(v.decision)},
            {"flags", v.flags},
            {"flag_names", std::move(flag_names)},
            {"members_counted", v.members_counted},
            {"income_month_fen", v.income_month_fen},
            {"income_per_capita_fen", v.income_per_capita_fen},
            {"financial_assets_fen", v.financial_assets_fen},
            {"standard_fen", v.standard_fen},
            {"policy_version", v.policy_version},
            {"as_of", v.as_of},
            {"created_at", v.created_at},
            {"created_by", v.created_by},
            {"created_by_name", v.created_by_name}};
  if (!v.result.empty()) j["result"] = json::parse(v.result, nullptr, false);
  return j;
}

json RecheckJson(const Recheck& b) {
  json by_decision = json::object(), by_flag = json::object();
  for (const auto& [k, n] : b.by_decision) by_decision[k] = n;
  for (const auto& [k, n] : b.by_flag) by_flag[k] = n;
  platform::JobStatus st;
  std::string status_name = platform::ParseJobStatus(b.status, &st) ? std::string(platform::JobStatusName(st)) : b.status;
  return {{"id", b.id},
          {"title", b.title},
          {"status", b.status},
          {"status_name", status_name},
          {"job_id", b.job_id ? json(*b.job_id) : json(nullptr)},
          {"as_of", b.as_of},
          {"division", b.division},
          {"households_total", b.households_total},
          {"verified", b.verified},
          {"skipped_unauthorised", b.skipped_unauthorised},
          {"failed", b.failed},
          {"by_decision", std::move(by_decision)},
          {"by_flag", std::move(by_flag)},
          {"created_at", b.created_at},
          {"created_by", b.created_by},
          {"created_by_name", b.created_by_name},
          {"finished_at", OrNull(b.finished_at)}};
}

}  // namespace doudi::verify
