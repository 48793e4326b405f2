-- AlterTable
ALTER TABLE "cases" ADD COLUMN "acknowledgedAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "assignedStaffId" TEXT;
ALTER TABLE "cases" ADD COLUMN "cardOfficeCode" TEXT;
ALTER TABLE "cases" ADD COLUMN "closedAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "victimPinHash" TEXT;

-- CreateTable
CREATE TABLE "offices" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provinceCode" TEXT,
    "destinationKind" TEXT NOT NULL DEFAULT 'NONE',
    "destinationIdentityId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "staff" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL,
    "identityId" TEXT,
    "createdAt" DATETIME NOT NULL,
    "deactivatedAt" DATETIME,
    CONSTRAINT "staff_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "contact_identities" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "staff_invites" (
    "codeHash" TEXT NOT NULL PRIMARY KEY,
    "staffId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "staff_invites_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "staff" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "case_copies" (
    "caseId" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,

    PRIMARY KEY ("caseId", "officeCode"),
    CONSTRAINT "case_copies_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "case_messages" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "staffId" TEXT,
    "bodyCipher" BLOB NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "case_messages_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "caseId" TEXT,
    "detail" TEXT,
    "createdAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_outbox_messages" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "identityId" TEXT,
    "officeCode" TEXT,
    "hasChoices" BOOLEAN NOT NULL DEFAULT false,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payloadCipher" BLOB NOT NULL,
    "keyId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    CONSTRAINT "outbox_messages_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "contact_identities" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_outbox_messages" ("attempts", "channel", "createdAt", "id", "identityId", "keyId", "lastError", "nextAttemptAt", "payloadCipher", "sentAt", "status") SELECT "attempts", "channel", "createdAt", "id", "identityId", "keyId", "lastError", "nextAttemptAt", "payloadCipher", "sentAt", "status" FROM "outbox_messages";
DROP TABLE "outbox_messages";
ALTER TABLE "new_outbox_messages" RENAME TO "outbox_messages";
CREATE INDEX "outbox_messages_status_channel_id_idx" ON "outbox_messages"("status", "channel", "id");
CREATE INDEX "outbox_messages_identityId_status_id_idx" ON "outbox_messages"("identityId", "status", "id");
CREATE INDEX "outbox_messages_identityId_hasChoices_id_idx" ON "outbox_messages"("identityId", "hasChoices", "id");
CREATE INDEX "outbox_messages_officeCode_status_idx" ON "outbox_messages"("officeCode", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "staff_identityId_key" ON "staff"("identityId");

-- CreateIndex
CREATE INDEX "staff_officeCode_active_idx" ON "staff"("officeCode", "active");

-- CreateIndex
CREATE INDEX "case_messages_caseId_id_idx" ON "case_messages"("caseId", "id");

-- CreateIndex
CREATE INDEX "audit_log_caseId_id_idx" ON "audit_log"("caseId", "id");

-- CreateIndex
CREATE INDEX "cases_officeCode_status_idx" ON "cases"("officeCode", "status");
