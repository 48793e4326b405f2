-- AlterTable
ALTER TABLE "contact_identities" ADD COLUMN "unreachableAt" DATETIME;

-- AlterTable
ALTER TABLE "inbound_messages" ADD COLUMN "identityId" TEXT;
ALTER TABLE "inbound_messages" ADD COLUMN "platformMessageId" TEXT;

-- CreateTable
CREATE TABLE "attachments" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "identityId" TEXT NOT NULL,
    "caseId" TEXT,
    "kind" TEXT NOT NULL,
    "mimeType" TEXT,
    "size" INTEGER NOT NULL,
    "blobCipher" BLOB NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "attachments_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_outbox_messages" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "identityId" TEXT,
    "officeCode" TEXT,
    "hasChoices" BOOLEAN NOT NULL DEFAULT false,
    "kind" TEXT NOT NULL DEFAULT 'MESSAGE',
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payloadCipher" BLOB NOT NULL,
    "keyId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "platformMessageId" TEXT,
    CONSTRAINT "outbox_messages_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "contact_identities" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_outbox_messages" ("attempts", "channel", "createdAt", "hasChoices", "id", "identityId", "keyId", "lastError", "nextAttemptAt", "officeCode", "payloadCipher", "sentAt", "status") SELECT "attempts", "channel", "createdAt", "hasChoices", "id", "identityId", "keyId", "lastError", "nextAttemptAt", "officeCode", "payloadCipher", "sentAt", "status" FROM "outbox_messages";
DROP TABLE "outbox_messages";
ALTER TABLE "new_outbox_messages" RENAME TO "outbox_messages";
CREATE INDEX "outbox_messages_status_channel_id_idx" ON "outbox_messages"("status", "channel", "id");
CREATE INDEX "outbox_messages_identityId_status_id_idx" ON "outbox_messages"("identityId", "status", "id");
CREATE INDEX "outbox_messages_identityId_hasChoices_id_idx" ON "outbox_messages"("identityId", "hasChoices", "id");
CREATE INDEX "outbox_messages_officeCode_status_idx" ON "outbox_messages"("officeCode", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "attachments_identityId_createdAt_idx" ON "attachments"("identityId", "createdAt");

-- CreateIndex
CREATE INDEX "attachments_caseId_idx" ON "attachments"("caseId");

-- CreateIndex
CREATE INDEX "inbound_messages_identityId_receivedAt_idx" ON "inbound_messages"("identityId", "receivedAt");
