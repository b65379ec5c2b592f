#include "platform/permissions.h"

namespace doudi::platform {
namespace {

constexpr PermissionInfo kPermissions[] = {
    // System administrator: accounts.
    {"user.read", "查看用户账号", Duty::kSystemAdmin},
    {"user.write", "管理用户账号（新建、修改、停用、重置密码）", Duty::kSystemAdmin},
    // Security administrator: roles, permissions, dictionaries.
    {"role.read", "查看角色与权限", Duty::kSecurityAdmin},
    {"role.write", "管理角色与权限、为用户分配角色", Duty::kSecurityAdmin},
    {"dict.write", "维护数据字典", Duty::kSecurityAdmin},
    // Audit administrator.
    {"audit.read", "查阅和核验审计日志", Duty::kAuditAdmin},
    // Business.
    {"registry.person.read", "查看人员档案", Duty::kBusiness},
    {"registry.person.write", "登记和修改人员档案", Duty::kBusiness},
    {"registry.household.read", "查看家庭户", Duty::kBusiness},
    {"registry.household.write", "登记和修改家庭户", Duty::kBusiness},
    {"pii.reveal", "查看完整身份证号、电话等敏感信息（每次查看留痕）", Duty::kBusiness},
    {"verify.read", "查看家庭经济状况核对", Duty::kBusiness},
    {"verify.write", "发起和办理家庭经济状况核对", Duty::kBusiness},
    {"assist.read", "查看社会救助业务（低保、特困、临时救助）", Duty::kBusiness},
    {"assist.write", "办理社会救助业务", Duty::kBusiness},
    {"assist.approve", "审核确认社会救助", Duty::kBusiness},
    {"rescue.read", "查看救助管理（求助、在站、离站）", Duty::kBusiness},
    {"rescue.write", "办理救助管理", Duty::kBusiness},
    {"tracing.read", "查看寻亲", Duty::kBusiness},
    {"tracing.write", "办理寻亲（公告、DNA 比对、人脸比对）", Duty::kBusiness},
    {"institution.read", "查看托养机构", Duty::kBusiness},
    {"institution.write", "托养机构监管（检查、整改）", Duty::kBusiness},
    {"hotline.read", "查看 12349 热线工单", Duty::kBusiness},
    {"hotline.write", "受理、派发和办理 12349 热线工单", Duty::kBusiness},
    {"minors.read", "查看未成年人保护档案", Duty::kBusiness},
    {"minors.write", "办理未成年人保护业务", Duty::kBusiness},
    {"stats.read", "查看统计报表与看板", Duty::kBusiness},
    {"job.read", "查看后台任务及其结果", Duty::kBusiness},
};

}  // namespace

std::span<const PermissionInfo> AllPermissions() { return kPermissions; }

const PermissionInfo* FindPermission(std::string_view code) {
  for (const auto& p : kPermissions) {
    if (p.code == code) return &p;
  }
  return nullptr;
}

std::string_view DutyName(Duty duty) {
  switch (duty) {
    case Duty::kBusiness: return "业务";
    case Duty::kSystemAdmin: return "系统管理";
    case Duty::kSecurityAdmin: return "安全管理";
    case Duty::kAuditAdmin: return "审计管理";
  }
  return "";
}

Result<Duty> DutyOf(const std::vector<std::string>& permissions) {
  const PermissionInfo* first = nullptr;
  for (const auto& code : permissions) {
    const PermissionInfo* p = FindPermission(code);
    if (!p) {
      return Status::InvalidField("permissions", "access.permission.unknown", "没有这项权限：" + code);
    }
    if (!first) {
      first = p;
    } else if (p->duty != first->duty) {
      return Status::InvalidField(
          "permissions", "access.separation_of_duties",
          "三员分立：同一角色不能同时拥有「" + std::string(DutyName(first->duty)) + "」权限（" +
              std::string(first->code) + "）和「" + std::string(DutyName(p->duty)) + "」权限（" + code + "）");
    }
  }
  return first ? first->duty : Duty::kBusiness;
}

}  // namespace doudi::platform
