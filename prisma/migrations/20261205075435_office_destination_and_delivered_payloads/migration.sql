-- An office whose group was deleted (retention used to purge it) has no destination: its cards go to
-- the national desk meanwhile and the bot warns at start, instead of the migration failing its check.
UPDATE "offices" SET "destinationIdentityId" = NULL, "destinationKind" = 'NONE'
  WHERE "destinationIdentityId" IS NOT NULL
    AND "destinationIdentityId" NOT IN (SELECT "id" FROM "contact_identities");

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_offices" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provinceCode" TEXT,
    "destinationKind" TEXT NOT NULL DEFAULT 'NONE',
    "destinationIdentityId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "offices_destinationIdentityId_fkey" FOREIGN KEY ("destinationIdentityId") REFERENCES "contact_identities" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_offices" ("code", "createdAt", "destinationIdentityId", "destinationKind", "kind", "name", "provinceCode", "updatedAt") SELECT "code", "createdAt", "destinationIdentityId", "destinationKind", "kind", "name", "provinceCode", "updatedAt" FROM "offices";
DROP TABLE "offices";
ALTER TABLE "new_offices" RENAME TO "offices";
CREATE INDEX "offices_destinationIdentityId_idx" ON "offices"("destinationIdentityId");
CREATE TABLE "new_outbox_messages" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "identityId" TEXT,
    "officeCode" TEXT,
    "hasChoices" BOOLEAN NOT NULL DEFAULT false,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "kind" TEXT NOT NULL DEFAULT 'MESSAGE',
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payloadCipher" BLOB,
    "choicesCipher" BLOB,
    "keyId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "platformMessageId" TEXT,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    CONSTRAINT "outbox_messages_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "contact_identities" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_outbox_messages" ("attempts", "channel", "claimedBy", "claimedUntil", "createdAt", "hasChoices", "id", "identityId", "keyId", "kind", "lastError", "nextAttemptAt", "officeCode", "payloadCipher", "platformMessageId", "sentAt", "status", "urgent") SELECT "attempts", "channel", "claimedBy", "claimedUntil", "createdAt", "hasChoices", "id", "identityId", "keyId", "kind", "lastError", "nextAttemptAt", "officeCode", "payloadCipher", "platformMessageId", "sentAt", "status", "urgent" FROM "outbox_messages";
DROP TABLE "outbox_messages";
ALTER TABLE "new_outbox_messages" RENAME TO "outbox_messages";
CREATE INDEX "outbox_messages_status_channel_id_idx" ON "outbox_messages"("status", "channel", "id");
CREATE INDEX "outbox_messages_identityId_status_id_idx" ON "outbox_messages"("identityId", "status", "id");
CREATE INDEX "outbox_messages_identityId_hasChoices_id_idx" ON "outbox_messages"("identityId", "hasChoices", "id");
CREATE INDEX "outbox_messages_officeCode_status_idx" ON "outbox_messages"("officeCode", "status");
CREATE INDEX "outbox_messages_channel_sentAt_idx" ON "outbox_messages"("channel", "sentAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
