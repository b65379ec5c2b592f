-- How far the audit journal (src/platform/audit_journal.h) has been written into audit_log: the sequence number
-- of the last staged event in the table. Updated in the transaction that inserts the events, so that a process
-- starting after a crash replays exactly the events the table does not have.
CREATE TABLE audit_journal_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  applied_seq BIGINT NOT NULL
);
INSERT INTO audit_journal_state (id, applied_seq) VALUES (1, 0);
