-- AlterTable
ALTER TABLE "status_lookups" ADD COLUMN     "freshVictimPinTry" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "status_lookup_budgets" (
    "referenceHash" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "windowStartedAt" TIMESTAMP(3) NOT NULL,
    "failures" INTEGER NOT NULL,
    "lastFailureAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "status_lookup_budgets_pkey" PRIMARY KEY ("referenceHash")
);

-- CreateTable
CREATE TABLE "report_quota_marks" (
    "id" SERIAL NOT NULL,
    "chatHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "report_quota_marks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "status_lookup_budgets_updatedAt_idx" ON "status_lookup_budgets"("updatedAt");

-- CreateIndex
CREATE INDEX "report_quota_marks_chatHash_createdAt_idx" ON "report_quota_marks"("chatHash", "createdAt");

-- CreateIndex
CREATE INDEX "report_quota_marks_createdAt_idx" ON "report_quota_marks"("createdAt");
