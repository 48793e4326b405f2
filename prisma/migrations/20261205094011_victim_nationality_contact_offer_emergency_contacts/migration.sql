-- AlterTable
ALTER TABLE "cases" ADD COLUMN "contactOfferedAt" DATETIME;
ALTER TABLE "cases" ADD COLUMN "victimCountry" TEXT;
ALTER TABLE "cases" ADD COLUMN "victimNationality" TEXT;

-- CreateTable
CREATE TABLE "emergency_contact_edits" (
    "country" TEXT NOT NULL PRIMARY KEY,
    "entry" TEXT NOT NULL,
    "confirmedAt" DATETIME NOT NULL,
    "confirmedBy" TEXT NOT NULL
);
