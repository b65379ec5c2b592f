#include "rescue/report_candidates.h"

#include <nlohmann/json.hpp>

namespace doudi::rescue {

Result<std::vector<ReportCandidate>> ReportCandidates::List(const Actor& actor, int64_t report_id) {
  DOUDI_RETURN_IF_ERROR(reports_.Get(actor, report_id).status());  // scope (404) and the audited view
  std::vector<ReportCandidate> out;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(
        auto rows,
        c.Query("SELECT c.id, c.source, c.score, c.status, c.reason, c.explanation, k.id, k.station_division, "
                "k.created_by, k.name, k.sex, k.estimated_age, k.intake_at, k.status "
                "FROM rescue_candidates c JOIN rescue_cases k ON k.id = c.case_id "
                "WHERE c.candidate_ref = $1 ORDER BY c.score DESC, c.id",
                {"missing_report:" + std::to_string(report_id)}));
    for (const auto& r : rows) {
      ReportCandidate x;
      x.id = r.Int(0);
      x.source = r.Text(1);
      x.score = r[2].is_real() ? r[2].as_real() : static_cast<double>(r.Int(2));
      x.status = r.Text(3);
      x.reason = r.Text(4);
      auto e = nlohmann::json::parse(r.Text(5), nullptr, false);
      if (e.is_object()) x.tier = e.value("tier", "");
      x.station_division = r.Text(7);
      x.in_scope = actor.principal.InScope(x.station_division, r.Int(8));
      if (x.in_scope) {
        x.case_id = r.Int(6);
        x.name = r.Text(9);
        x.sex = static_cast<int>(r.Int(10));
        if (!r.IsNull(11)) x.estimated_age = static_cast<int>(r.Int(11));
        x.intake_at = r.Text(12);
        x.case_status = r.Text(13);
      }
      out.push_back(std::move(x));
    }
    return Status::Ok();
  }));
  return out;
}

nlohmann::json ReportCandidateJson(const ReportCandidate& c, const Divisions& divisions) {
  std::string station = divisions.FullName(c.station_division);
  nlohmann::json j = {{"id", c.id},
                      {"source", c.source},
                      {"score", c.score},
                      {"status", c.status},
                      {"reason", c.reason},
                      {"tier", c.tier},
                      {"station_division", c.station_division},
                      {"station_division_name", station.empty() ? c.station_division : station},
                      {"in_scope", c.in_scope}};
  if (c.in_scope) {
    j["case"] = {{"id", c.case_id},
                 {"name", c.name},
                 {"sex", c.sex},
                 {"estimated_age", c.estimated_age ? nlohmann::json(*c.estimated_age) : nlohmann::json(nullptr)},
                 {"intake_at", c.intake_at},
                 {"status", c.case_status}};
  }
  return j;
}

}  // namespace doudi::rescue
