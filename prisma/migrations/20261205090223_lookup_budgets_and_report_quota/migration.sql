-- CreateTable
CREATE TABLE "status_lookup_budgets" (
    "referenceHash" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 0,
    "windowStartedAt" DATETIME NOT NULL,
    "failures" INTEGER NOT NULL,
    "lastFailureAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "report_quota_marks" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chatHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- AlterTable: a plain column addition (SQLite keeps the rows in place; no table is rewritten)
ALTER TABLE "status_lookups" ADD COLUMN "freshVictimPinTry" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "status_lookup_budgets_updatedAt_idx" ON "status_lookup_budgets"("updatedAt");

-- CreateIndex
CREATE INDEX "report_quota_marks_chatHash_createdAt_idx" ON "report_quota_marks"("chatHash", "createdAt");

-- CreateIndex
CREATE INDEX "report_quota_marks_createdAt_idx" ON "report_quota_marks"("createdAt");
