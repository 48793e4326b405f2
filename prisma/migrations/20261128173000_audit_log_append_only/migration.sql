-- The audit log answers "who saw or did what, when": once written it is never changed or removed.
CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log"
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log"
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
