-- Rows written before envelopes were bound to their owner (envelope version 1) are marked by
-- their key id, so that the next `admin rotate-keys` finds and rewrites them as version 2 even
-- when the data key has not changed. The envelope itself still names its key; the marker only
-- tells the rotation which rows to take.
UPDATE "contact_identities" SET "keyId" = "keyId" || '@v1';
UPDATE "conversations" SET "keyId" = "keyId" || '@v1';
UPDATE "cases" SET "keyId" = "keyId" || '@v1';
UPDATE "case_messages" SET "keyId" = "keyId" || '@v1';
UPDATE "case_services" SET "keyId" = "keyId" || '@v1';
UPDATE "outbox_messages" SET "keyId" = "keyId" || '@v1';
UPDATE "attachments" SET "keyId" = "keyId" || '@v1';
UPDATE "whatsapp_auth" SET "keyId" = "keyId" || '@v1';
