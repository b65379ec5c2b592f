-- Household economic status verification (核对, DOMAIN.md §2): agency feed batches with their rejected rows and
-- typed rows, members' authorisations, verification requests with their results, and batch rechecks.
-- Times are ISO-8601 UTC text, money integer fen, dates YYYY-MM-DD.

-- One uploaded feed file. active_hash is content_hash while the batch is importing or imported and was not
-- forced (NULL otherwise): its unique index refuses a concurrent second upload of the same content.
CREATE TABLE verify_feed_batches (
  id {{ID}},
  source TEXT NOT NULL,
  period TEXT NOT NULL,
  filename TEXT NOT NULL,
  format TEXT NOT NULL DEFAULT 'csv',
  encoding TEXT,
  content_hash TEXT NOT NULL,
  active_hash TEXT,
  size_bytes BIGINT NOT NULL DEFAULT 0,
  on_reject TEXT NOT NULL CHECK (on_reject IN ('all_or_nothing', 'keep_good')),
  forced INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'importing' CHECK (status IN ('importing', 'imported', 'rejected', 'failed')),
  rows_total BIGINT NOT NULL DEFAULT 0,
  rows_imported BIGINT NOT NULL DEFAULT 0,
  rows_rejected BIGINT NOT NULL DEFAULT 0,
  error TEXT,
  job_id BIGINT,
  data_date TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_name TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL,
  finished_at TEXT
);
CREATE UNIQUE INDEX verify_feed_batches_active_hash ON verify_feed_batches (active_hash);
CREATE INDEX verify_feed_batches_hash ON verify_feed_batches (content_hash);
CREATE INDEX verify_feed_batches_source ON verify_feed_batches (source, period);

-- A rejected row: where (file row, column) and why; never the cell's value (it may be an ID number).
CREATE TABLE verify_feed_rejects (
  batch_id BIGINT NOT NULL REFERENCES verify_feed_batches (id) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  row_no BIGINT NOT NULL,
  column_name TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (batch_id, seq)
);

-- One accepted feed row as the feed parser validated it (verify/feeds/feeds.h ParsedRow: two code, date, money
-- and text slots, a month and an area, whose meaning per feed its spec gives), keyed by the person key (the keyed
-- hash of the ID number, Crypto::KeyedHash64, as a signed 64-bit integer); the ID number itself only encrypted.
-- Dates are days since 1970-01-01 (NULL when absent), months year*12+month-1, money fen, area 0.01 m².
CREATE TABLE verify_feed_rows (
  id {{ID}},
  batch_id BIGINT NOT NULL REFERENCES verify_feed_batches (id) ON DELETE CASCADE,
  feed INTEGER NOT NULL,
  person_key BIGINT NOT NULL,
  id_cipher TEXT NOT NULL,
  row_no BIGINT NOT NULL,
  code0 INTEGER NOT NULL DEFAULT 0,
  code1 INTEGER NOT NULL DEFAULT 0,
  date0 INTEGER,
  date1 INTEGER,
  month INTEGER NOT NULL DEFAULT 0,
  money0 BIGINT NOT NULL DEFAULT 0,
  money1 BIGINT NOT NULL DEFAULT 0,
  area INTEGER NOT NULL DEFAULT 0,
  text0 TEXT NOT NULL DEFAULT '',
  text1 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX verify_feed_rows_person ON verify_feed_rows (person_key);
CREATE INDEX verify_feed_rows_batch ON verify_feed_rows (batch_id);

-- A member's signed authorisation (授权书). member_set: the household's member person ids, sorted and
-- comma-separated, when it was recorded; it lapses once the household's members differ.
CREATE TABLE verify_authorisations (
  id {{ID}},
  household_id BIGINT NOT NULL,
  person_id BIGINT NOT NULL,
  signed_on TEXT NOT NULL,
  signer_name TEXT NOT NULL,
  signed_by_guardian INTEGER NOT NULL DEFAULT 0,
  guardian_name TEXT NOT NULL DEFAULT '',
  guardian_id_cipher TEXT,
  guardian_relation TEXT NOT NULL DEFAULT '',
  form_file TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  member_set TEXT NOT NULL,
  division_code TEXT NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  revoked_reason TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_name TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX verify_authorisations_household ON verify_authorisations (household_id, person_id, id);

-- A batch recheck; division_code is the creator's (visibility as jobs).
CREATE TABLE verify_batches (
  id {{ID}},
  title TEXT NOT NULL,
  as_of TEXT NOT NULL,
  division TEXT NOT NULL DEFAULT '',
  job_id BIGINT,
  status TEXT NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  households_total BIGINT NOT NULL DEFAULT 0,
  verified BIGINT NOT NULL DEFAULT 0,
  skipped_unauthorised BIGINT NOT NULL DEFAULT 0,
  failed BIGINT NOT NULL DEFAULT 0,
  division_code TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_name TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL,
  finished_at TEXT
);

-- A verification of one household and its result. flags: ';'-separated codes with a leading and trailing ';'
-- so that one flag is found with LIKE '%;code;%'. result: the full explanation (JSON).
CREATE TABLE verify_requests (
  id {{ID}},
  household_id BIGINT NOT NULL,
  batch_id BIGINT REFERENCES verify_batches (id),
  division_code TEXT NOT NULL,
  urban_rural TEXT NOT NULL DEFAULT '',
  head_name TEXT NOT NULL DEFAULT '',
  decision TEXT NOT NULL CHECK (decision IN ('eligible', 'ineligible', 'review')),
  flags TEXT NOT NULL DEFAULT ';',
  members_counted INTEGER NOT NULL DEFAULT 0,
  income_month_fen BIGINT NOT NULL DEFAULT 0,
  income_per_capita_fen BIGINT NOT NULL DEFAULT 0,
  financial_assets_fen BIGINT NOT NULL DEFAULT 0,
  standard_fen BIGINT NOT NULL DEFAULT 0,
  policy_version TEXT NOT NULL,
  as_of TEXT NOT NULL,
  result TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_by_name TEXT NOT NULL DEFAULT '',
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX verify_requests_household ON verify_requests (household_id, id);
CREATE INDEX verify_requests_batch ON verify_requests (batch_id, id);
CREATE INDEX verify_requests_division ON verify_requests (division_code, id);
