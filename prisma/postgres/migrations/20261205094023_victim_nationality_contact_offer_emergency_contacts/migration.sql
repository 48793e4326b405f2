-- AlterTable
ALTER TABLE "cases" ADD COLUMN     "contactOfferedAt" TIMESTAMP(3),
ADD COLUMN     "victimCountry" TEXT,
ADD COLUMN     "victimNationality" TEXT;

-- CreateTable
CREATE TABLE "emergency_contact_edits" (
    "country" TEXT NOT NULL,
    "entry" TEXT NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL,
    "confirmedBy" TEXT NOT NULL,

    CONSTRAINT "emergency_contact_edits_pkey" PRIMARY KEY ("country")
);
