-- Missing-person reports (寻人登记) entered for families, with the relatives' DNA reference samples, and the STR
-- profile of an unidentified person attached to the DNA request when the police result arrives. The engines'
-- candidates go to rescue_candidates with candidate_ref 'missing_report:<id>'.
CREATE TABLE rescue_missing_reports (
  id {{ID}},
  division TEXT NOT NULL,             -- scope: the registering station's division
  status TEXT NOT NULL CHECK (status IN ('open', 'found', 'closed')),
  reporter_name TEXT NOT NULL,
  reporter_phone TEXT NOT NULL,       -- encrypted (platform/crypto.h)
  reporter_phone_hash TEXT NOT NULL,  -- keyed hash, for lookup
  reporter_relation TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  sex INTEGER NOT NULL DEFAULT 0,
  birth_date TEXT NOT NULL DEFAULT '',
  age_at_lost INTEGER,
  lost_date TEXT NOT NULL,
  lost_division TEXT NOT NULL DEFAULT '',
  lost_place TEXT NOT NULL DEFAULT '',
  hukou_division TEXT NOT NULL DEFAULT '',
  height_cm INTEGER,
  features TEXT NOT NULL DEFAULT '',
  dialect TEXT NOT NULL DEFAULT '',
  photos TEXT NOT NULL DEFAULT '[]',  -- JSON array of stored file keys
  samples TEXT NOT NULL DEFAULT '[]', -- JSON array of {relation, name, profile: {locus: "a/b"}}
  note TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_missing_reports_division ON rescue_missing_reports (division);
CREATE INDEX rescue_missing_reports_status ON rescue_missing_reports (status);

-- The unidentified person's STR profile as JSON {locus: "a/b"} ('' until the result is imported).
ALTER TABLE rescue_dna_requests ADD COLUMN str_profile TEXT NOT NULL DEFAULT '';
