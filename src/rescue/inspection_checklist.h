// The supervision checklist of an institution inspection (托养机构监管检查): five items, each scored 0..max by
// the inspector; the total is their sum (out of 100) and gives the rating. Pure rules, no storage.
//
// Ratings: total >= 90 excellent (优秀), >= 75 good (良好), >= 60 pass (合格), else fail (不合格). An item
// scored below 60 % of its maximum is "weak": the form proposes a rectification order for it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace doudi::rescue {

struct ChecklistItemDef {
  const char* code;  // "qualifications"
  const char* name;  // "资质证照"
  int max;
  const char* guide;  // what the inspector looks at
};

// The items in the order the form shows them.
const std::vector<ChecklistItemDef>& InspectionChecklist();
const ChecklistItemDef* FindChecklistItem(std::string_view code);

struct ChecklistScore {
  std::string code;
  int score = 0;
  std::string note;
};

// Every checklist item exactly once, each score within 0..max; field errors name "items[i].score" etc.
Status ValidateScores(const std::vector<ChecklistScore>& scores);
int TotalScore(const std::vector<ChecklistScore>& scores);
// "excellent" | "good" | "pass" | "fail" and its Chinese name.
std::string Rating(int total);
std::string RatingName(std::string_view rating);
// Whether an item's score is below 60 % of its maximum.
bool IsWeak(const ChecklistScore& s);

}  // namespace doudi::rescue
