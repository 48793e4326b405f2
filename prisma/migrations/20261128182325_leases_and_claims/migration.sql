-- AlterTable
ALTER TABLE "outbox_messages" ADD COLUMN "claimedBy" TEXT;
ALTER TABLE "outbox_messages" ADD COLUMN "claimedUntil" DATETIME;

-- CreateTable
CREATE TABLE "leases" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
