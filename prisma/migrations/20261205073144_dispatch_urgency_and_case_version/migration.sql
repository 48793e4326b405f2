-- AlterTable: plain column additions (SQLite keeps the rows in place; no table is rewritten)
ALTER TABLE "cases" ADD COLUMN "version" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "outbox_messages" ADD COLUMN "urgent" BOOLEAN NOT NULL DEFAULT false;
