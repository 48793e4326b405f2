-- AlterTable
ALTER TABLE "cases" ADD COLUMN     "assignedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "outbox_messages" ADD COLUMN     "caseId" TEXT;

-- CreateTable
CREATE TABLE "case_services" (
    "id" SERIAL NOT NULL,
    "caseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "givenOn" TIMESTAMP(3) NOT NULL,
    "providerCipher" BYTEA,
    "noteCipher" BYTEA,
    "keyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "case_services_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "case_services" ADD CONSTRAINT "case_services_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
