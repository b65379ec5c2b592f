-- Institution supervision (DOMAIN.md §4 托养): foster-care institutions (托养机构) and designated hospitals
-- (定点医院) with their qualifications and contracts; supervision inspections with a scored checklist and
-- photos; rectification orders with deadlines and their follow-up entries. The station workflow's placements
-- refer to rescue_institutions(id). Nothing is deleted: a correction bumps version and leaves the previous
-- row in rescue_supervision_history with who and why.
CREATE TABLE rescue_institutions (
  id {{ID}},
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('foster_care', 'hospital')),
  division_code TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  contact_person TEXT NOT NULL DEFAULT '',
  contact_phone TEXT NOT NULL DEFAULT '',
  capacity INTEGER NOT NULL DEFAULT 0,
  licence_number TEXT NOT NULL DEFAULT '',
  licence_expiry TEXT,
  contract_start TEXT,
  contract_end TEXT,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'ended')),
  notes TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_institutions_division ON rescue_institutions (division_code);

-- items: JSON array [{"code":"qualifications","score":18,"max":20,"note":"..."}]; total = sum of scores.
CREATE TABLE rescue_inspections (
  id {{ID}},
  institution_id BIGINT NOT NULL REFERENCES rescue_institutions (id),
  division_code TEXT NOT NULL,
  inspected_on TEXT NOT NULL,
  inspectors TEXT NOT NULL,
  items TEXT NOT NULL,
  total INTEGER NOT NULL,
  findings TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_inspections_institution ON rescue_inspections (institution_id);

-- Photos of an inspection: the file itself (base64) with its checked type, size and SHA-256.
CREATE TABLE rescue_inspection_photos (
  id {{ID}},
  inspection_id BIGINT NOT NULL REFERENCES rescue_inspections (id),
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data TEXT NOT NULL,
  caption TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL
);
CREATE INDEX rescue_inspection_photos_inspection ON rescue_inspection_photos (inspection_id);

-- state: open -> submitted -> closed (verified), submitted|closed -> reopened -> submitted ...
-- working_days is set when the deadline was given as N working days from issued_on.
CREATE TABLE rescue_rectifications (
  id {{ID}},
  inspection_id BIGINT NOT NULL REFERENCES rescue_inspections (id),
  institution_id BIGINT NOT NULL REFERENCES rescue_institutions (id),
  division_code TEXT NOT NULL,
  requirement TEXT NOT NULL,
  issued_on TEXT NOT NULL,
  working_days INTEGER,
  deadline TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'submitted', 'closed', 'reopened')),
  closed_on TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_rectifications_open ON rescue_rectifications (state, deadline);
CREATE INDEX rescue_rectifications_inspection ON rescue_rectifications (inspection_id);

-- The follow-up entries of a rectification order, in order: what happened, by whom, the state after it.
CREATE TABLE rescue_rectification_events (
  id {{ID}},
  rectification_id BIGINT NOT NULL REFERENCES rescue_rectifications (id),
  action TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  state_after TEXT NOT NULL,
  deadline_after TEXT NOT NULL,
  at TEXT NOT NULL,
  by_user BIGINT NOT NULL,
  by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX rescue_rectification_events_rect ON rescue_rectification_events (rectification_id);

-- Earlier versions of corrected records (institutions, inspections, patrols): the row as it was (JSON) and why
-- it was changed.
CREATE TABLE rescue_supervision_history (
  id {{ID}},
  object_type TEXT NOT NULL,
  object_id BIGINT NOT NULL,
  version BIGINT NOT NULL,
  snapshot TEXT NOT NULL,
  reason TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by BIGINT NOT NULL
);
CREATE INDEX rescue_supervision_history_object ON rescue_supervision_history (object_type, object_id);

-- Street patrol logs (街面巡查). team, places, encounters: JSON arrays; the counts are the sums of the
-- encounters' persons by action, kept as columns for lists and statistics.
CREATE TABLE rescue_patrols (
  id {{ID}},
  division_code TEXT NOT NULL,
  started_at TEXT NOT NULL,
  ended_at TEXT NOT NULL,
  team TEXT NOT NULL,
  route TEXT NOT NULL DEFAULT '',
  places TEXT NOT NULL,
  encounters TEXT NOT NULL,
  persons_met INTEGER NOT NULL DEFAULT 0,
  advised INTEGER NOT NULL DEFAULT 0,
  brought_in INTEGER NOT NULL DEFAULT 0,
  referred_police INTEGER NOT NULL DEFAULT 0,
  referred_hospital INTEGER NOT NULL DEFAULT 0,
  refused INTEGER NOT NULL DEFAULT 0,
  notes TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_patrols_division_start ON rescue_patrols (division_code, started_at);
