-- AlterTable
ALTER TABLE "cases" ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "outbox_messages" ADD COLUMN     "urgent" BOOLEAN NOT NULL DEFAULT false;
