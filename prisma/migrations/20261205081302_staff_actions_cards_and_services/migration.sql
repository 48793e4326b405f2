-- AlterTable
ALTER TABLE "cases" ADD COLUMN "assignedAt" DATETIME;

-- AlterTable
ALTER TABLE "outbox_messages" ADD COLUMN "caseId" TEXT;

-- CreateTable
CREATE TABLE "case_services" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "givenOn" DATETIME NOT NULL,
    "providerCipher" BLOB,
    "noteCipher" BLOB,
    "keyId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "case_services_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "case_services_caseId_id_idx" ON "case_services"("caseId", "id");

-- CreateIndex
CREATE INDEX "audit_log_actor_createdAt_idx" ON "audit_log"("actor", "createdAt");

-- CreateIndex
CREATE INDEX "audit_log_action_createdAt_idx" ON "audit_log"("action", "createdAt");

-- CreateIndex
CREATE INDEX "outbox_messages_identityId_caseId_sentAt_idx" ON "outbox_messages"("identityId", "caseId", "sentAt");

-- CreateIndex
CREATE INDEX "outbox_messages_identityId_platformMessageId_idx" ON "outbox_messages"("identityId", "platformMessageId");
