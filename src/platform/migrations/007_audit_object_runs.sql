-- The audit log's object index as sorted runs (platform/audit_index.h) instead of a B-tree index on audit_log:
-- each view of a person put one random page of audit_log_object into every commit, the largest write cost of
-- reading a person (docs/benchmarks.md). A run indexes a stretch of ids at once, sorted, appended at the end
-- of audit_object_runs (run is the leading key); rows past audit_index_state.indexed_upto are found by a scan
-- of that short tail. The rows already in the log become run 0.
DROP INDEX IF EXISTS audit_log_object;
CREATE TABLE audit_index_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_upto BIGINT NOT NULL
);
CREATE TABLE audit_index_runs (
  run BIGINT PRIMARY KEY,
  first_id BIGINT NOT NULL,
  last_id BIGINT NOT NULL
);
CREATE TABLE audit_object_runs (
  run BIGINT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  audit_id BIGINT NOT NULL,
  PRIMARY KEY (run, object_type, object_id, audit_id)
){{WITHOUT_ROWID}};
INSERT INTO audit_object_runs (run, object_type, object_id, audit_id)
  SELECT 0, object_type, object_id, id FROM audit_log WHERE object_type <> '' ORDER BY object_type, object_id, id;
INSERT INTO audit_index_runs (run, first_id, last_id) SELECT 0, COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM audit_log;
INSERT INTO audit_index_state (id, indexed_upto) SELECT 1, COALESCE(MAX(id), 0) FROM audit_log;
