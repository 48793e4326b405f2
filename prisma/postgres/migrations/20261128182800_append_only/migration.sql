-- Case events are the audit trail of a case, and the audit log answers "who saw or did what,
-- when": once written, neither is ever changed or removed. The PostgreSQL twin of the SQLite
-- migrations *_case_events_append_only and *_audit_log_append_only; TRUNCATE is refused too,
-- since it skips row triggers.
CREATE FUNCTION "reject_append_only_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER "case_events_no_update" BEFORE UPDATE ON "case_events"
    FOR EACH ROW EXECUTE FUNCTION "reject_append_only_change"();

CREATE TRIGGER "case_events_no_delete" BEFORE DELETE ON "case_events"
    FOR EACH ROW EXECUTE FUNCTION "reject_append_only_change"();

CREATE TRIGGER "case_events_no_truncate" BEFORE TRUNCATE ON "case_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "reject_append_only_change"();

CREATE TRIGGER "audit_log_no_update" BEFORE UPDATE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION "reject_append_only_change"();

CREATE TRIGGER "audit_log_no_delete" BEFORE DELETE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION "reject_append_only_change"();

CREATE TRIGGER "audit_log_no_truncate" BEFORE TRUNCATE ON "audit_log"
    FOR EACH STATEMENT EXECUTE FUNCTION "reject_append_only_change"();
