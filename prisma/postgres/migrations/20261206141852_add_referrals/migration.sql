-- AlterTable
ALTER TABLE "case_services" ADD COLUMN     "referralId" TEXT;

-- AlterTable
ALTER TABLE "staff" ADD COLUMN     "providerCode" TEXT;

-- CreateTable
CREATE TABLE "referrals" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "providerCode" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "referredByStaffId" TEXT NOT NULL,
    "services" TEXT NOT NULL,
    "openKey" TEXT,
    "status" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "consentSource" TEXT NOT NULL,
    "consentMethod" TEXT,
    "consentRecordedBy" TEXT NOT NULL,
    "consentAt" TIMESTAMP(3) NOT NULL,
    "overrideGround" TEXT,
    "providerNamedToVictim" BOOLEAN NOT NULL DEFAULT false,
    "answeredAt" TIMESTAMP(3),
    "answeredByStaffId" TEXT,
    "declineReason" TEXT,
    "closedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "referrals_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "referrals_code_key" ON "referrals"("code");

-- CreateIndex
CREATE UNIQUE INDEX "referrals_openKey_key" ON "referrals"("openKey");

-- CreateIndex
CREATE INDEX "referrals_caseId_idx" ON "referrals"("caseId");

-- CreateIndex
CREATE INDEX "referrals_providerCode_status_idx" ON "referrals"("providerCode", "status");

-- CreateIndex
CREATE INDEX "referrals_status_dueAt_idx" ON "referrals"("status", "dueAt");

-- CreateIndex
CREATE INDEX "referrals_officeCode_status_idx" ON "referrals"("officeCode", "status");

-- CreateIndex
CREATE INDEX "case_services_referralId_idx" ON "case_services"("referralId");

-- CreateIndex
CREATE INDEX "staff_providerCode_active_idx" ON "staff"("providerCode", "active");

-- AddForeignKey
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
