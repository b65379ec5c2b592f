// Verification reports (核对报告): what a verifier downloads and files.
//
//  - HouseholdReportPdf: the report of one stored verification — household, members, income by category, by
//    member and month with the agency records behind each figure, assets, per-capita figures, the standard, each
//    rule's outcome with its reason, the decision and flags, the policy version, the verifier and the date. It is
//    drawn from the stored result (results.h ResultJson of the engine's HouseholdReport), never recomputed, so a
//    report printed a year later still shows what was decided then.
//  - BatchResultsXlsx / BatchResultsCsv: the results of a batch recheck, one row per household. The CSV keeps the
//    CLI's OUT.csv columns in their order (docs/verify.md) and adds township and household names after them, so
//    a reader of OUT.csv reads it too; the Excel sheet is for people (Chinese headers, yuan, names).
//  - SuspiciousXlsx: the suspicious list (疑似问题清单) of a recheck, grouped by flag then township, from the JSON
//    of VerifyService::Suspicious, with a summary sheet of counts.
// Pure renderers: no database, no audit; report_routes.cc fetches (in scope, audited) and calls these.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"
#include "verify/model.h"

namespace doudi::verify {

struct ReportOptions {
  std::string unit = "荆州市社会救助服务中心";  // the issuing unit, in the footer and under the title
  std::string generated_at;                    // ISO time the file was made (UTC); "" = not shown
  std::string generated_by;                    // the user who downloaded it; "" = not shown
};

// The PDF of one verification. `v` is the stored request with its `result` JSON. Fails with
// "verify.report.result" if the stored result cannot be read, or pdf's "pdf.font_missing".
Result<std::string> HouseholdReportPdf(const Verification& v, const ReportOptions& options);

// Batch results. `title` heads the Excel sheet (e.g. the recheck's title and as-of date).
Result<std::string> BatchResultsXlsx(const std::vector<Verification>& rows, const std::string& title);
std::string BatchResultsCsv(const std::vector<Verification>& rows);

// The suspicious list, from the JSON that GET /verify/batches/{id}/suspicious answers.
Result<std::string> SuspiciousXlsx(const nlohmann::json& suspicious, const std::string& title);

// Feed rejects (row, column, code, reason) as CSV for the uploader to fix the file.
std::string FeedRejectsCsv(const std::vector<FeedReject>& rejects);

// Helpers shared by the renderers and their tests.
std::string YuanText(int64_t fen);  // 123456 → "1,234.56"; -5 → "-0.05"
// "421002003" (the household's division, township part) and its name from the divisions table.
std::string TownshipOf(const std::string& division_code);
std::string TownshipName(const std::string& division_code);
std::string DecisionText(const std::string& decision_code);  // "eligible" → "符合"
std::string OutcomeText(const std::string& outcome_code);    // "pass" → "通过"
std::string FlagText(const std::string& flag_code);          // "vehicle" → "有机动车"; unknown: the code

}  // namespace doudi::verify
