#include "rescue/inspection_checklist.h"

#include <set>

namespace doudi::rescue {

const std::vector<ChecklistItemDef>& InspectionChecklist() {
  static const std::vector<ChecklistItemDef> kItems = {
      {"qualifications", "资质证照", 20, "执业/设立许可、消防验收、食品经营许可是否齐全有效，托养协议是否在期"},
      {"facilities", "设施设备", 20, "住房、床位、卫浴、取暖降温、无障碍、监控是否满足托养需要"},
      {"care_quality", "照料服务质量", 20, "饮食、个人卫生、医疗康复、24小时看护、寻亲配合"},
      {"safety", "安全管理", 20, "消防、食品、用药安全，防走失措施，应急预案与演练"},
      {"records", "档案记录", 20, "受助人员档案、每日照料与健康记录、交接与外出登记"},
  };
  return kItems;
}

const ChecklistItemDef* FindChecklistItem(std::string_view code) {
  for (const auto& d : InspectionChecklist()) {
    if (code == d.code) return &d;
  }
  return nullptr;
}

Status ValidateScores(const std::vector<ChecklistScore>& scores) {
  std::vector<FieldError> errors;
  std::set<std::string> seen;
  for (size_t i = 0; i < scores.size(); ++i) {
    const auto& s = scores[i];
    const std::string at = "items[" + std::to_string(i) + "]";
    const ChecklistItemDef* def = FindChecklistItem(s.code);
    if (!def) {
      errors.push_back({at + ".code", "rescue.inspection.item_unknown", "未知的检查项目：" + s.code});
      continue;
    }
    if (!seen.insert(s.code).second) {
      errors.push_back({at + ".code", "rescue.inspection.item_repeated", std::string("检查项目重复：") + def->name});
      continue;
    }
    if (s.score < 0 || s.score > def->max) {
      errors.push_back({at + ".score", "rescue.inspection.score_range",
                        std::string(def->name) + "的得分应在 0 到 " + std::to_string(def->max) + " 之间"});
    }
  }
  for (const auto& d : InspectionChecklist()) {
    if (!seen.count(d.code) && errors.empty()) {
      errors.push_back({"items", "rescue.inspection.item_missing", std::string("缺少检查项目：") + d.name});
    }
  }
  if (errors.empty()) return Status::Ok();
  Status st(Code::kInvalid, errors.front().code, errors.front().message);
  for (auto& e : errors) st.add_detail(std::move(e));
  return st;
}

int TotalScore(const std::vector<ChecklistScore>& scores) {
  int total = 0;
  for (const auto& s : scores) total += s.score;
  return total;
}

std::string Rating(int total) {
  if (total >= 90) return "excellent";
  if (total >= 75) return "good";
  if (total >= 60) return "pass";
  return "fail";
}

std::string RatingName(std::string_view rating) {
  if (rating == "excellent") return "优秀";
  if (rating == "good") return "良好";
  if (rating == "pass") return "合格";
  return "不合格";
}

bool IsWeak(const ChecklistScore& s) {
  const ChecklistItemDef* def = FindChecklistItem(s.code);
  return def && s.score * 10 < def->max * 6;
}

}  // namespace doudi::rescue
