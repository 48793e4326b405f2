-- AlterTable
ALTER TABLE "cases" ADD COLUMN "consentWithdrawnAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "duressPinHash" TEXT;
ALTER TABLE "cases" ADD COLUMN "duressUsedAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "escalatedAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "lastActivityAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "monitoringStartedAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "purgedAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "retraffickingRiskAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "routedAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "serviceStartedAt" DATETIME;

-- CreateTable
CREATE TABLE "follow_ups" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "anchor" DATETIME NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "claimedUntil" DATETIME,
    "doneAt" DATETIME,
    "answer" TEXT,
    "answeredAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "follow_ups_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "follow_ups_status_dueAt_idx" ON "follow_ups"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "follow_ups_caseId_kind_anchor_key" ON "follow_ups"("caseId", "kind", "anchor");
