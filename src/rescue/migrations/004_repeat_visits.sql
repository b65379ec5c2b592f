-- Repeat visits of unidentified persons (src/rescue/repeat_visits.h): an earlier case of the same station that
-- the attribute (and face) engines suggest is the same person as the case searched for, and the caseworker's
-- decision. A confirmation re-points the cases of the person without an ID number to the other person (each
-- re-pointing is a case version with the reason); from_person_id, to_person_id and moved_cases record it so that
-- an undo (a correction with a reason) can put the cases back. Nothing is deleted.
CREATE TABLE rescue_repeat_suggestions (
  id {{ID}},
  case_id BIGINT NOT NULL REFERENCES rescue_cases (id),          -- the later visit, searched for
  earlier_case_id BIGINT NOT NULL REFERENCES rescue_cases (id),  -- the earlier visit suggested
  status TEXT NOT NULL CHECK (status IN ('open', 'confirmed', 'rejected', 'undone')),
  score DOUBLE PRECISION NOT NULL,       -- bits of evidence (attribute match weight + face weight)
  explanation TEXT NOT NULL DEFAULT '{}',
  reason TEXT NOT NULL DEFAULT '',       -- of the confirmation or rejection
  decided_by BIGINT,
  decided_at TEXT NOT NULL DEFAULT '',
  from_person_id BIGINT,                 -- confirmed: the person whose cases were re-pointed
  to_person_id BIGINT,                   -- confirmed: the person they now belong to
  moved_cases TEXT NOT NULL DEFAULT '[]',  -- confirmed: JSON array of the re-pointed case ids
  undo_reason TEXT NOT NULL DEFAULT '',
  undone_by BIGINT,
  undone_at TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by BIGINT NOT NULL,
  UNIQUE (case_id, earlier_case_id)
);
CREATE INDEX rescue_repeat_suggestions_earlier ON rescue_repeat_suggestions (earlier_case_id);
