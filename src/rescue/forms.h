// The rescue station's standard forms (DOMAIN.md §4) as printable A4 PDFs, filled from a case page — the JSON of
// RescueService::CaseDetail, so a form shows exactly what the service lets the user see and the view is audited
// there. Each form carries the station's name, a form number and blank lines for handwritten signatures.
//
// Forms by code (docs/rescue.md, "Forms"), and when each applies to a case:
//   intake          求助登记表                          every case
//   refusal         不予救助通知书                      refused
//   self_departure  自行离站声明书                      in the station (printed to be signed), or departed by self
//   stay_departure  在站服务及离站登记表                in the station or departed (not refused)
//   termination     终止救助通知书                      departed by termination of aid
//   police_handover 公安机关护送流浪乞讨人员交接单      brought in by the police
// An unknown code is an invalid field (400 "rescue.form.unknown"); a form that does not apply is a conflict (409
// "rescue.form.not_applicable") with a Chinese message saying why.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace doudi::rescue {

struct FormSpec {
  const char* code;
  const char* title;
};

// Every form, in the order of the station's workflow.
const std::vector<FormSpec>& RescueForms();

// The codes of the forms that apply to the case page, in RescueForms() order.
std::vector<std::string> ApplicableForms(const nlohmann::json& page);

// Ok if `code` names a form that applies to the case page; else the 400 or 409 above.
Status FormApplies(const std::string& code, const nlohmann::json& page);

struct FormOptions {
  std::string station_name;  // "" = the station division's last name + "救助管理站" (沙市区救助管理站)
  std::string printed_at;    // ISO UTC time of printing (PDF metadata and the footer); "" = now
  std::string printed_by;    // shown in the footer
};

// The form as PDF bytes, or FormApplies' error.
Result<std::string> RenderForm(const std::string& code, const nlohmann::json& page, const FormOptions& options = {});

// The form's number as printed: the reference recorded with the case where the form has one (the refusal
// notice's, the signed declaration's, the termination notice's, the police hand-over form's), else one made
// from the station division, the intake year and the case id ("421002-2025-000017").
std::string FormNumber(const std::string& code, const nlohmann::json& page);

}  // namespace doudi::rescue
