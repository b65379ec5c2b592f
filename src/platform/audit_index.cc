#include "platform/audit_index.h"

namespace doudi::platform {

Result<int> IndexAuditRuns(db::Conn& c, int64_t run_rows) {
  DOUDI_ASSIGN_OR_RETURN(auto state, c.Query("SELECT indexed_upto FROM audit_index_state WHERE id = 1"));
  if (state.empty()) return 0;  // a database from before migration 007 cannot be open here; nothing to do
  int64_t upto = state[0].Int(0);
  DOUDI_ASSIGN_OR_RETURN(auto top, c.Query("SELECT COALESCE(MAX(id), 0) FROM audit_log"));
  int64_t last = top[0].Int(0);
  int runs = 0;
  while (last - upto >= run_rows) {
    DOUDI_ASSIGN_OR_RETURN(auto next, c.Query("SELECT COALESCE(MAX(run), -1) + 1 FROM audit_index_runs"));
    long long run = next[0].Int(0), first = upto + 1, end = upto + run_rows;
    DOUDI_RETURN_IF_ERROR(c.Exec("INSERT INTO audit_object_runs (run, object_type, object_id, audit_id) "
                                 "SELECT $1, object_type, object_id, id FROM audit_log "
                                 "WHERE id >= $2 AND id <= $3 AND object_type <> '' "
                                 "ORDER BY object_type, object_id, id",
                                 {run, first, end})
                              .status());
    DOUDI_RETURN_IF_ERROR(
        c.Exec("INSERT INTO audit_index_runs (run, first_id, last_id) VALUES ($1, $2, $3)", {run, first, end})
            .status());
    upto = end;
    ++runs;
  }
  if (runs > 0) {
    DOUDI_RETURN_IF_ERROR(
        c.Exec("UPDATE audit_index_state SET indexed_upto = $1 WHERE id = 1", {static_cast<long long>(upto)}).status());
  }
  return runs;
}

std::string AuditObjectCondition(const std::string& type, const std::optional<std::string>& id,
                                 std::vector<db::Value>& params) {
  params.emplace_back(type);
  std::string match = "object_type = $" + std::to_string(params.size());
  if (id) {
    params.emplace_back(*id);
    match += " AND object_id = $" + std::to_string(params.size());
  }
  return "id IN (SELECT audit_id FROM audit_object_runs WHERE run IN (SELECT run FROM audit_index_runs) AND " + match +
         " UNION ALL SELECT id FROM audit_log WHERE id > (SELECT indexed_upto FROM audit_index_state WHERE id = 1) AND " +
         match + ")";
}

}  // namespace doudi::platform
