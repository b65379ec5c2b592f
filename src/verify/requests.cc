// VerifyService: verification of one household (load members and feed rows, check authorisations, run the engine,
// store the result), the stored results, and batch rechecks as jobs with the suspicious list.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "common/divisions.h"
#include "common/id_number.h"
#include "registry/read_page.h"
#include "verify/engine/engine.h"
#include "verify/results.h"
#include "verify/service.h"
#include "verify/tables.h"

namespace doudi::verify {
namespace {

using nlohmann::json;

Status HouseholdNotFound() {
  return Status::NotFound("verify.household.not_found", "家庭户不存在或不在您的管辖范围内");
}
Status RequestNotFound() { return Status::NotFound("verify.request.not_found", "核对记录不存在或不在您的管辖范围内"); }
Status RecheckNotFound() { return Status::NotFound("verify.batch.not_found", "批量核对不存在或不在您的管辖范围内"); }

Status CheckAsOf(const std::string& as_of) {
  if (as_of.size() != 10 || DateDays(as_of) == kNoDate) {
    return Status::InvalidField("as_of", "verify.as_of", "核对基准日应为有效日期（YYYY-MM-DD）");
  }
  return Status::Ok();
}

std::string StatusName(const std::string& s) {
  if (s == "missing") return "未授权";
  if (s == "lapsed") return "已失效（家庭成员变更）";
  if (s == "revoked") return "已撤回";
  return "有效";
}

// Feed rows equal in every value but their batch and row number: a forced re-import stored them twice.
auto RowValueKey(const store::FeedRow& r) {
  return std::make_tuple(r.feed, r.person_key, r.code[0], r.code[1], r.date[0], r.date[1], r.month, r.money[0],
                         r.money[1], r.area, r.text[0], r.text[1]);
}

}  // namespace

Result<Verification> VerifyService::Verify(const Actor& actor, const registry::Household& h, const std::string& as_of,
                                           std::optional<int64_t> batch_id) {
  if (h.members.empty()) {
    return Status::InvalidField("household_id", "verify.household.empty", "该家庭户没有成员，无法核对");
  }
  DOUDI_ASSIGN_OR_RETURN(HouseholdAuthorisations auth, Authorisations(actor, h));
  if (!auth.all_valid) {
    // No valid authorisation, no query: nothing below runs.
    Status s(Code::kConflict, "verify.authorisation.missing", "家庭成员授权书缺失或已失效，不能发起核对");
    for (const auto& m : auth.members) {
      if (m.status != "valid") {
        s.add_detail({"person_id:" + std::to_string(m.person_id), m.status, m.name + "：" + StatusName(m.status)});
      }
    }
    return s;
  }
  const int32_t as_of_days = DateDays(as_of);
  const std::string county = h.division_code.substr(0, std::min<size_t>(6, h.division_code.size()));
  Area area;
  if (!ParseArea(h.urban_rural, &area)) area = Area::kUrban;
  const int policy_index = policy_.FindIndex(county, area, as_of_days);
  if (policy_index < 0) {
    return Status::Invalid("verify.policy.missing",
                           "没有适用于该县（市、区）" + std::string(AreaCode(area) == "urban" ? "城市" : "农村") +
                               "家庭在 " + as_of + " 的核对政策，请先维护核对政策");
  }
  const PolicyEntry& entry = policy_.entries()[static_cast<size_t>(policy_index)];

  // Members: their person keys (from the plain ID numbers, which never leave this function) and names.
  std::vector<PersonKey> keys;
  std::vector<uint8_t> counted;
  ResultContext ctx;
  for (const auto& m : h.members) {
    DOUDI_ASSIGN_OR_RETURN(registry::Person p, registry_.LoadPerson(m.person_id));
    keys.push_back(p.id_number.empty() ? crypto_.KeyedHash64("person-without-id:" + std::to_string(p.id))
                                       : crypto_.KeyedHash64(p.id_number));
    counted.push_back(1);
    ctx.members.push_back({m.person_id, m.name, m.relation, m.id_number});
  }

  // The stored feed rows of these persons, and what each feed's newest data reflect.
  std::vector<store::FeedRow> rows;
  std::vector<std::pair<std::string, std::string>> feed_dates;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(rows, store::FeedRowsOfPersons(c, std::vector<uint64_t>(keys.begin(), keys.end())));
    DOUDI_ASSIGN_OR_RETURN(feed_dates, store::ImportedFeedDates(c));
    return Status::Ok();
  }));
  FeedTables tables;
  std::set<decltype(RowValueKey(rows.front()))> seen;
  for (const auto& r : rows) {
    if (!seen.insert(RowValueKey(r)).second) continue;
    AppendRow(r, static_cast<uint64_t>(r.id), &tables);
    ctx.rows[static_cast<uint64_t>(r.id)] = &r;
  }
  for (const auto& [source, date] : feed_dates) {
    Feed f;
    if (!ParseFeedCode(source, &f)) continue;
    tables.status[static_cast<int>(f)].present = true;
    tables.status[static_cast<int>(f)].data_date = date.empty() ? kNoDate : DateDays(date);
  }

  Households households;
  households.Add(keys.data(), counted.data(), keys.size(), 0);
  std::vector<Rules> rules = {entry.rules};
  Request req;
  req.as_of = as_of_days;
  req.rules = &rules;
  req.threads = 1;
  auto engine = Engine::Build(tables, households, 1);
  HouseholdReport report = engine->Explain(req, 0);

  ctx.policy = &entry;
  ctx.example_policy = policy_.version().find("example") != std::string::npos;
  ctx.as_of = as_of;
  ctx.tables = &tables;

  Verification v;
  v.household_id = h.id;
  v.batch_id = batch_id;
  v.division_code = h.division_code;
  v.urban_rural = h.urban_rural;
  v.head_name = h.head_name;
  v.decision = std::string(DecisionCode(report.summary.decision));
  v.flags = FlagList(report.summary.flags);
  v.members_counted = static_cast<int>(report.summary.members_counted);
  v.income_month_fen = report.summary.income_month;
  v.income_per_capita_fen = report.summary.income_per_capita;
  v.financial_assets_fen = report.summary.financial_assets;
  v.standard_fen = report.summary.standard;
  v.policy_version = report.policy_version;
  v.as_of = as_of;
  v.result = ResultJson(report, ctx).dump();
  v.created_at = Now();
  v.created_by = actor.principal.user_id;
  v.created_by_name = actor.principal.display_name.empty() ? actor.principal.username : actor.principal.display_name;
  v.version = 1;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(v.id, store::InsertRequest(c, v));
    json detail = {{"household_id", h.id}, {"decision", v.decision}, {"policy_version", v.policy_version}};
    if (batch_id) detail["batch_id"] = *batch_id;
    return audit_.AppendIn(c, Event(actor, "verify.request.create", "verify_request", v.id, detail.dump()));
  }));
  return v;
}

Result<Verification> VerifyService::VerifyHousehold(const Actor& actor, int64_t household_id,
                                                    const std::string& as_of_in) {
  std::string as_of = as_of_in.empty() ? Today() : as_of_in;
  DOUDI_RETURN_IF_ERROR(CheckAsOf(as_of));
  auto h = registry_.GetHousehold(actor, household_id);
  if (h.status().code() == Code::kNotFound) return HouseholdNotFound();
  DOUDI_RETURN_IF_ERROR(h.status());
  return Verify(actor, *h, as_of, std::nullopt);
}

Result<Verification> VerifyService::GetVerification(const Actor& actor, int64_t id) {
  std::optional<Verification> v;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(v, store::GetRequest(c, id));
    return Status::Ok();
  }));
  if (!v || !actor.principal.InScope(v->division_code, v->created_by)) return RequestNotFound();
  DOUDI_RETURN_IF_ERROR(audit_.Append(Event(actor, "verify.result.view", "verify_request", id,
                                            json{{"household_id", v->household_id}}.dump())));
  return std::move(*v);
}

Result<Page<Verification>> VerifyService::ListVerifications(const Actor& actor, const VerificationQuery& q) {
  store::RequestFilter f;
  f.scope = ScopeOf(actor.principal);
  f.household_id = q.household_id;
  f.batch_id = q.batch_id;
  if (!q.decision.empty()) {
    if (q.decision != "eligible" && q.decision != "ineligible" && q.decision != "review") {
      return Status::InvalidField("decision", "verify.decision", "核对结论应为 eligible、ineligible 或 review");
    }
    f.decision = q.decision;
  }
  if (!q.flag.empty()) {
    uint32_t flag = 0;
    if (!ParseFlagCode(q.flag, &flag)) return Status::InvalidField("flag", "verify.flag", "未知的疑点标记：" + q.flag);
    f.flag = q.flag;
  }
  if (!q.township.empty()) {
    if (q.township.size() > 12 || !std::all_of(q.township.begin(), q.township.end(), [](char c) {
          return c >= '0' && c <= '9';
        })) {
      return Status::InvalidField("township", "verify.township", "乡镇（街道）应为区划代码");
    }
    f.division_prefix = q.township;
  }
  return registry::ReadPage<Verification>(db_, q.page, q.size, [&](db::Conn& c, int64_t limit, int64_t offset) {
    f.limit = limit;
    f.offset = offset;
    return store::ListRequests(c, f);
  });
}

// --- batch rechecks ---

Result<Started<Recheck>> VerifyService::StartRecheck(const Actor& actor, RecheckSpec spec) {
  if (spec.as_of.empty()) spec.as_of = Today();
  DOUDI_RETURN_IF_ERROR(CheckAsOf(spec.as_of));
  std::vector<int64_t> ids;
  if (!spec.household_ids.empty()) {
    if (spec.household_ids.size() > 100000) {
      return Status::InvalidField("household_ids", "verify.batch.household_ids", "一次最多核对 100000 户");
    }
    std::set<int64_t> unique;
    for (int64_t id : spec.household_ids) {
      if (!unique.insert(id).second) continue;
      auto h = registry_.GetHousehold(actor, id);
      if (h.status().code() == Code::kNotFound) {
        Status s = HouseholdNotFound();
        s.add_detail({"household_ids", "verify.household.not_found", std::to_string(id)});
        return s;
      }
      DOUDI_RETURN_IF_ERROR(h.status());
      ids.push_back(id);
    }
  } else {
    registry::HouseholdQuery q;
    q.division = spec.division;
    q.size = 200;
    for (q.page = 1;; ++q.page) {
      DOUDI_ASSIGN_OR_RETURN(auto found, registry_.SearchHouseholds(actor, q));
      for (const auto& h : found.items) {
        if (h.member_count > 0) ids.push_back(h.id);
      }
      if (static_cast<int64_t>(q.page) * q.size >= found.total || found.items.empty()) break;
    }
  }
  if (ids.empty()) return Status::InvalidField("household_ids", "verify.batch.empty", "没有可核对的家庭户");

  Recheck b;
  b.title = spec.title.empty() ? "批量核对 " + spec.as_of : spec.title;
  b.as_of = spec.as_of;
  b.division = spec.division;
  b.status = "queued";
  b.households_total = static_cast<int64_t>(ids.size());
  b.division_code = actor.principal.division_code;
  b.created_at = Now();
  b.created_by = actor.principal.user_id;
  b.created_by_name = actor.principal.display_name.empty() ? actor.principal.username : actor.principal.display_name;
  b.version = 1;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(b.id, store::InsertBatch(c, b));
    return audit_.AppendIn(c, Event(actor, "verify.batch.create", "verify_batch", b.id,
                                    json{{"households", ids.size()}, {"as_of", b.as_of}}.dump()));
  }));

  auto who = std::make_shared<platform::Principal>(actor.principal);
  if (who->ip.empty()) who->ip = actor.ip;
  if (who->request_id.empty()) who->request_id = actor.request_id;
  Recheck initial = b;
  Result<int64_t> job = jobs_.Submit(
      actor.principal, "verify.batch", b.title, [this, who, ids, initial](platform::JobContext& ctx) -> Status {
        Recheck r = initial;
        const Actor a(*who, who->ip, who->request_id);
        r.status = "running";
        DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) { return store::UpdateBatchCounts(c, r, Now(), false); }));
        ctx.SetTotal(static_cast<int64_t>(ids.size()));
        bool cancelled = false;
        for (size_t i = 0; i < ids.size(); ++i) {
          if (ctx.Cancelled()) {
            cancelled = true;
            break;
          }
          auto h = registry_.GetHousehold(a, ids[i]);
          Result<Verification> v = h.ok() ? Verify(a, *h, r.as_of, r.id) : Result<Verification>(h.status());
          if (v.ok()) {
            ++r.verified;
          } else if (v.status().error_code() == "verify.authorisation.missing") {
            ++r.skipped_unauthorised;
          } else {
            if (v.status().code() == Code::kInternal || v.status().code() == Code::kUnavailable) {
              r.status = "failed";
              (void)db_.Write([&](db::Conn& c) { return store::UpdateBatchCounts(c, r, Now(), true); });
              return v.status();
            }
            ++r.failed;  // e.g. a household emptied or moved out of scope since the batch was started
          }
          ctx.Advance();
          if ((i + 1) % 50 == 0) {
            (void)db_.Write([&](db::Conn& c) { return store::UpdateBatchCounts(c, r, Now(), false); });
          }
        }
        r.status = cancelled ? "cancelled" : "succeeded";
        DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) { return store::UpdateBatchCounts(c, r, Now(), true); }));
        ctx.SetResult(json{{"batch_id", r.id},
                           {"households_total", r.households_total},
                           {"verified", r.verified},
                           {"skipped_unauthorised", r.skipped_unauthorised},
                           {"failed", r.failed}}
                          .dump());
        return Status::Ok();
      });
  if (!job.ok()) {
    b.status = "failed";
    (void)db_.Write([&](db::Conn& c) { return store::UpdateBatchCounts(c, b, Now(), true); });
    return job.status();
  }
  b.job_id = *job;
  DOUDI_RETURN_IF_ERROR(db_.Write([&](db::Conn& c) { return store::SetBatchJob(c, b.id, *job); }));
  return Started<Recheck>{std::move(b), *job};
}

Result<Recheck> VerifyService::GetRecheck(const Actor& actor, int64_t id) {
  std::optional<Recheck> b;
  DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
    DOUDI_ASSIGN_OR_RETURN(b, store::GetBatch(c, id));
    if (b && actor.principal.InScope(b->division_code, b->created_by)) {
      DOUDI_RETURN_IF_ERROR(store::CountBatchResults(c, id, ScopeOf(actor.principal), &*b));
    }
    return Status::Ok();
  }));
  if (!b || !actor.principal.InScope(b->division_code, b->created_by)) return RecheckNotFound();
  return std::move(*b);
}

Result<Page<Recheck>> VerifyService::ListRechecks(const Actor& actor, int page_no, int size) {
  const store::Scope scope = ScopeOf(actor.principal);
  return registry::ReadPage<Recheck>(
      db_, page_no, size,
      [&](db::Conn& c, int64_t limit, int64_t offset) -> Result<std::pair<std::vector<Recheck>, int64_t>> {
        DOUDI_ASSIGN_OR_RETURN(auto found, store::ListBatches(c, scope, limit, offset));
        for (auto& b : found.first) DOUDI_RETURN_IF_ERROR(store::CountBatchResults(c, b.id, scope, &b));
        return found;
      });
}

Result<json> VerifyService::Suspicious(const Actor& actor, int64_t batch_id) {
  DOUDI_ASSIGN_OR_RETURN(Recheck b, GetRecheck(actor, batch_id));
  // Every result of the batch in scope, in pages of the store's list.
  std::vector<Verification> all;
  store::RequestFilter f;
  f.scope = ScopeOf(actor.principal);
  f.batch_id = batch_id;
  f.limit = 1000;
  for (f.offset = 0;; f.offset += f.limit) {
    std::vector<Verification> chunk;
    DOUDI_RETURN_IF_ERROR(db_.Read([&](db::Conn& c) -> Status {
      DOUDI_ASSIGN_OR_RETURN(auto found, store::ListRequests(c, f));
      chunk = std::move(found.first);
      return Status::Ok();
    }));
    if (chunk.empty()) break;
    all.insert(all.end(), chunk.begin(), chunk.end());
    if (static_cast<int64_t>(chunk.size()) < f.limit) break;
  }
  const Divisions& divisions = registry_.divisions();
  auto township_of = [](const std::string& division) { return division.substr(0, std::min<size_t>(9, division.size())); };
  json groups = json::array();
  for (int i = 0; i < kFlagCount; ++i) {
    const uint32_t flag = 1u << i;
    const std::string code(FlagCode(flag));
    std::map<std::string, std::vector<const Verification*>> by_township;
    for (const auto& v : all) {
      if (std::find(v.flags.begin(), v.flags.end(), code) != v.flags.end()) {
        by_township[township_of(v.division_code)].push_back(&v);
      }
    }
    if (by_township.empty()) continue;
    json townships = json::array();
    int total = 0;
    for (auto& [township, list] : by_township) {
      std::sort(list.begin(), list.end(),
                [](const Verification* a, const Verification* b) { return a->household_id < b->household_id; });
      json items = json::array();
      for (const Verification* v : list) {
        items.push_back({{"request_id", v->id},
                         {"household_id", v->household_id},
                         {"head_name", v->head_name},
                         {"decision", v->decision},
                         {"decision_name", v->decision == "eligible"     ? "符合"
                                           : v->decision == "ineligible" ? "不符合"
                                                                         : "需人工复核"},
                         {"income_per_capita_fen", v->income_per_capita_fen},
                         {"standard_fen", v->standard_fen}});
      }
      const Division* d = divisions.Find(township);
      townships.push_back({{"township", township},
                           {"township_name", d ? d->name : township},
                           {"count", list.size()},
                           {"items", std::move(items)}});
      total += static_cast<int>(list.size());
    }
    groups.push_back({{"flag", code}, {"flag_name", FlagName(flag)}, {"count", total}, {"townships", std::move(townships)}});
  }
  return json{{"batch_id", b.id}, {"as_of", b.as_of}, {"groups", std::move(groups)}};
}

}  // namespace doudi::verify
