-- Photos of the persons in the station's care (the intake photo and later ones) and of missing persons (from
-- the families' reports): the file itself (base64, like inspection photos) with its checked type, size and
-- SHA-256, what the face engine found in it, and the withdrawal (nothing is deleted).
CREATE TABLE rescue_photos (
  id {{ID}},
  owner_type TEXT NOT NULL CHECK (owner_type IN ('case', 'report')),
  owner_id BIGINT NOT NULL,           -- rescue_cases.id or rescue_missing_reports.id
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data TEXT NOT NULL,
  caption TEXT NOT NULL DEFAULT '',
  width INTEGER NOT NULL DEFAULT 0,
  height INTEGER NOT NULL DEFAULT 0,
  -- one | several | none | unsupported (a type the face engine cannot decode) | unavailable (no models)
  face_status TEXT NOT NULL,
  faces TEXT NOT NULL DEFAULT '[]',        -- JSON [{score, box: {x, y, width, height}}], largest first
  descriptors TEXT NOT NULL DEFAULT '[]',  -- JSON [[128 numbers]] in the order of faces; never sent out
  selected_face INTEGER,                   -- the face that is the person (index into faces), NULL when none
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
  withdrawn_reason TEXT NOT NULL DEFAULT '',
  withdrawn_at TEXT NOT NULL DEFAULT '',
  withdrawn_by BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX rescue_photos_owner ON rescue_photos (owner_type, owner_id);
