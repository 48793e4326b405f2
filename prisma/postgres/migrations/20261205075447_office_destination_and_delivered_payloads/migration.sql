-- AlterTable
ALTER TABLE "outbox_messages" ADD COLUMN     "choicesCipher" BYTEA,
ALTER COLUMN "payloadCipher" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "offices_destinationIdentityId_idx" ON "offices"("destinationIdentityId");

-- An office whose group was deleted (retention used to purge it) has no destination: its cards go to
-- the national desk meanwhile and the bot warns at start, instead of the constraint failing.
UPDATE "offices" SET "destinationIdentityId" = NULL, "destinationKind" = 'NONE'
  WHERE "destinationIdentityId" IS NOT NULL
    AND "destinationIdentityId" NOT IN (SELECT "id" FROM "contact_identities");

-- AddForeignKey
ALTER TABLE "offices" ADD CONSTRAINT "offices_destinationIdentityId_fkey" FOREIGN KEY ("destinationIdentityId") REFERENCES "contact_identities"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
