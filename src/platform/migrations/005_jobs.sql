-- Background jobs (platform/jobs.h): long work (imports, batch verification, family-search sweeps, reports)
-- with progress, cancellation and a result. A job belongs to its creator; division_code is the creator's, so
-- that a division-scoped principal sees the jobs of its division. result is JSON text written by the job;
-- error is the Chinese failure message. Times are ISO-8601 UTC text written by the application.
CREATE TABLE jobs (
  id {{ID}},
  kind TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  progress_done BIGINT NOT NULL DEFAULT 0,
  progress_total BIGINT NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  result TEXT,
  error TEXT,
  created_by BIGINT NOT NULL DEFAULT 0,
  created_by_name TEXT NOT NULL DEFAULT '',
  division_code TEXT NOT NULL DEFAULT '',
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX jobs_created_by ON jobs (created_by, id);
CREATE INDEX jobs_division ON jobs (division_code, id);
CREATE INDEX jobs_status ON jobs (status, id);
