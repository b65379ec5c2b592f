// The audit log's object index, kept as sorted runs: which audit rows concern an object (a person, a case...).
//
// A B-tree index on audit_log (object_type, object_id) put one random page into the commit of every audited
// view — the largest write cost of reading a person. Instead, each stretch of `run_rows` ids past the
// watermark (audit_index_state.indexed_upto) is indexed at once: its (object_type, object_id, id) entries,
// sorted, under a new run number that leads the key of audit_object_runs, so a run is written at the end of
// that B-tree as a few sequential pages. A lookup seeks each run (one seek per run) and scans the short tail of
// rows past the watermark. Runs are written inside the transaction that appends audit rows, after the chain
// lock (PostgreSQL), so no audit row below the watermark can still be uncommitted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "db/db.h"

namespace doudi::platform {

// Indexes every complete stretch of run_rows ids past the watermark; returns the number of runs written.
// Call inside the write transaction that appended audit rows.
Result<int> IndexAuditRuns(db::Conn& c, int64_t run_rows);

// A condition on audit_log.id that selects the rows of objects of `type` (and `id`, when given), using the runs
// and the tail; its parameters are appended to `params` (numbered after those already there).
std::string AuditObjectCondition(const std::string& type, const std::optional<std::string>& id,
                                 std::vector<db::Value>& params);

}  // namespace doudi::platform
