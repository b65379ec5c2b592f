-- The person and household registry (DOMAIN.md §1): one record per person, households with their members.
-- ID and phone numbers are stored only encrypted (*_cipher, base64 secretbox) with a keyed hash (*_hash, hex
-- HMAC) for exact lookup. division_code is the record's scope division (residence township or county).
CREATE TABLE persons (
  id {{ID}},
  name TEXT NOT NULL,
  sex INTEGER NOT NULL DEFAULT 0 CHECK (sex IN (0, 1, 2, 9)),
  birth_date TEXT,
  estimated_age INTEGER,
  id_cipher TEXT,
  id_hash TEXT,
  ethnicity TEXT NOT NULL DEFAULT '',
  phone_cipher TEXT,
  phone_hash TEXT,
  address TEXT NOT NULL DEFAULT '',
  address_division TEXT NOT NULL DEFAULT '',
  hukou_division TEXT NOT NULL DEFAULT '',
  hukou_address TEXT NOT NULL DEFAULT '',
  division_code TEXT NOT NULL,
  photo TEXT,
  flags TEXT NOT NULL DEFAULT '',
  disability_category TEXT NOT NULL DEFAULT '',
  disability_grade TEXT NOT NULL DEFAULT '',
  marital_status TEXT NOT NULL DEFAULT '',
  education TEXT NOT NULL DEFAULT '',
  notes TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
-- UNIQUE allows any number of NULLs on both engines: persons of unknown identity have no id_hash.
CREATE UNIQUE INDEX persons_id_hash ON persons (id_hash);
CREATE INDEX persons_division ON persons (division_code);
CREATE INDEX persons_name ON persons (name);
CREATE INDEX persons_phone_hash ON persons (phone_hash);

CREATE TABLE households (
  id {{ID}},
  head_person_id BIGINT NOT NULL REFERENCES persons (id),
  urban_rural TEXT NOT NULL CHECK (urban_rural IN ('urban', 'rural')),
  division_code TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL
);
CREATE INDEX households_division ON households (division_code);
CREATE INDEX households_head ON households (head_person_id);

-- A person belongs to at most one household (UNIQUE person_id); relation is GB/T 4761, relative to the head.
CREATE TABLE household_members (
  household_id BIGINT NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  person_id BIGINT NOT NULL REFERENCES persons (id),
  relation TEXT NOT NULL,
  PRIMARY KEY (household_id, person_id),
  UNIQUE (person_id)
);
