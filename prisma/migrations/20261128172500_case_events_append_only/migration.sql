-- Case events are the audit trail of a case: once written they are never changed or removed.
CREATE TRIGGER "case_events_no_update" BEFORE UPDATE ON "case_events"
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;

CREATE TRIGGER "case_events_no_delete" BEFORE DELETE ON "case_events"
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only');
END;
