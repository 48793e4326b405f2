-- DropIndex
DROP INDEX "cases_status_idx";

-- CreateIndex
CREATE INDEX "case_copies_officeCode_idx" ON "case_copies"("officeCode");

-- CreateIndex
CREATE INDEX "cases_status_urgency_routedAt_idx" ON "cases"("status", "urgency", "routedAt");

-- CreateIndex
CREATE INDEX "cases_status_serviceStartedAt_idx" ON "cases"("status", "serviceStartedAt");

-- CreateIndex
CREATE INDEX "cases_provinceCode_status_idx" ON "cases"("provinceCode", "status");

-- CreateIndex
CREATE INDEX "cases_regencyCode_status_idx" ON "cases"("regencyCode", "status");

-- CreateIndex
CREATE INDEX "cases_createdAt_id_idx" ON "cases"("createdAt", "id");

-- CreateIndex
CREATE INDEX "cases_assignedStaffId_status_idx" ON "cases"("assignedStaffId", "status");
