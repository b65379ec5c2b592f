-- Rescue management (救助管理, DOMAIN.md §4): the station's cases from intake to departure, with what is held,
-- given and decided on the way, and the family search for the unidentified. Nothing is deleted: a correction
-- of a case keeps the values it replaced in rescue_case_versions (who, when, why). station_division is the
-- record's scope division (the station's county or township). Placements name an institution of the
-- institutions registry (rescue_institutions, created by the same module's migration 050) by a plain id: the
-- two tables are migrated by different files, so the service checks existence instead of a foreign key.
CREATE TABLE rescue_cases (
  id {{ID}},
  station_division TEXT NOT NULL,
  person_id BIGINT,
  identified INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('in_station', 'departed', 'refused')),
  intake_at TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  sex INTEGER NOT NULL DEFAULT 0,
  birth_date TEXT NOT NULL DEFAULT '',
  estimated_age INTEGER,
  height_cm INTEGER,
  features TEXT NOT NULL DEFAULT '',
  clothing TEXT NOT NULL DEFAULT '',
  dialect TEXT NOT NULL DEFAULT '',
  photo TEXT NOT NULL DEFAULT '',
  health_state TEXT NOT NULL DEFAULT '',
  mental_disability INTEGER NOT NULL DEFAULT 0,
  how_came TEXT NOT NULL,
  police_unit TEXT NOT NULL DEFAULT '',
  police_form_ref TEXT NOT NULL DEFAULT '',
  referral_from TEXT NOT NULL DEFAULT '',
  patrol_ref TEXT NOT NULL DEFAULT '',
  found_place TEXT NOT NULL DEFAULT '',
  found_date TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  hukou_address TEXT NOT NULL DEFAULT '',
  relatives_contact TEXT NOT NULL DEFAULT '',
  bed TEXT NOT NULL DEFAULT '',
  room TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  caseworker_id BIGINT NOT NULL,
  screening TEXT NOT NULL DEFAULT '{}',
  referred_to TEXT NOT NULL DEFAULT '',
  refusal TEXT NOT NULL DEFAULT '',
  departed_at TEXT,
  departure_kind TEXT NOT NULL DEFAULT '',
  departure TEXT NOT NULL DEFAULT '',
  found_by TEXT NOT NULL DEFAULT '',
  extension_until TEXT NOT NULL DEFAULT '',
  extension_reason TEXT NOT NULL DEFAULT '',
  extension_requested_by BIGINT,
  extension_approved_by BIGINT,
  extension_approved_at TEXT,
  settlement_started_on TEXT NOT NULL DEFAULT '',
  settlement_note TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_cases_station ON rescue_cases (station_division);
CREATE INDEX rescue_cases_person ON rescue_cases (person_id);
CREATE INDEX rescue_cases_status ON rescue_cases (status);
CREATE INDEX rescue_cases_intake ON rescue_cases (intake_at);

-- The values a correction replaced: one row per correction, the case's version before it.
CREATE TABLE rescue_case_versions (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES rescue_cases (id),
  version BIGINT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by BIGINT NOT NULL,
  reason TEXT NOT NULL,
  fields TEXT NOT NULL,
  previous TEXT NOT NULL,
  UNIQUE (case_id, version)
);

CREATE TABLE rescue_belongings (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES rescue_cases (id),
  description TEXT NOT NULL,
  quantity INTEGER NOT NULL DEFAULT 1,
  photo TEXT NOT NULL DEFAULT '',
  held_at TEXT NOT NULL,
  held_by BIGINT NOT NULL,
  returned_at TEXT,
  returned_to TEXT NOT NULL DEFAULT '',
  signature_ref TEXT NOT NULL DEFAULT '',
  returned_by BIGINT
);
CREATE INDEX rescue_belongings_case ON rescue_belongings (case_id);

-- Daily care and services: append-only.
CREATE TABLE rescue_care_records (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES rescue_cases (id),
  kind TEXT NOT NULL CHECK (kind IN ('meal', 'health_check', 'temperature', 'medical', 'service')),
  recorded_at TEXT NOT NULL,
  temperature_dc INTEGER,
  detail TEXT NOT NULL DEFAULT '',
  recorded_by BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX rescue_care_case ON rescue_care_records (case_id);

-- Temporary placement (托养) in an institution or designated hospital; at most one open (end_date '') per case.
CREATE TABLE rescue_placements (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES rescue_cases (id),
  kind TEXT NOT NULL CHECK (kind IN ('institution', 'hospital')),
  institution_id BIGINT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL DEFAULT '',
  end_reason TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_placements_case ON rescue_placements (case_id);

-- Family-search notice (寻亲公告): the public fields only, copied from the case at intake and edited here.
CREATE TABLE rescue_notices (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES rescue_cases (id),
  station_division TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed')),
  due_at TEXT NOT NULL,
  published_at TEXT,
  refreshed_at TEXT,
  name TEXT NOT NULL DEFAULT '',
  sex INTEGER NOT NULL DEFAULT 0,
  estimated_age INTEGER,
  height_cm INTEGER,
  features TEXT NOT NULL DEFAULT '',
  clothing TEXT NOT NULL DEFAULT '',
  found_date TEXT NOT NULL DEFAULT '',
  found_place TEXT NOT NULL DEFAULT '',
  photo TEXT NOT NULL DEFAULT '',
  station_contact TEXT NOT NULL DEFAULT '',
  minor INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_notices_case ON rescue_notices (case_id);
CREATE INDEX rescue_notices_status ON rescue_notices (status);

-- DNA request to the police (within 7 working days of intake), the sample and the result.
CREATE TABLE rescue_dna_requests (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES rescue_cases (id),
  requested_on TEXT NOT NULL,
  due_on TEXT NOT NULL,
  police_unit TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('requested', 'sampled', 'resulted')),
  sample_ref TEXT NOT NULL DEFAULT '',
  sampled_on TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '',
  result_ref TEXT NOT NULL DEFAULT '',
  result_on TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_dna_case ON rescue_dna_requests (case_id);

-- Candidate identities from the DNA, face and attribute engines (or entered by staff), decided with a reason.
CREATE TABLE rescue_candidates (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES rescue_cases (id),
  source TEXT NOT NULL CHECK (source IN ('dna', 'face', 'attribute')),
  score REAL NOT NULL,
  explanation TEXT NOT NULL DEFAULT '{}',
  candidate_ref TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'rejected')),
  reason TEXT NOT NULL DEFAULT '',
  decided_by BIGINT,
  decided_at TEXT,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL
);
CREATE INDEX rescue_candidates_case ON rescue_candidates (case_id);
