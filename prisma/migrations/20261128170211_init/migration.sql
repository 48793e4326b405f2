-- CreateTable
CREATE TABLE "contact_identities" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "lookupHash" TEXT NOT NULL,
    "addressCipher" BLOB NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "conversations" (
    "identityId" TEXT NOT NULL PRIMARY KEY,
    "rowVersion" INTEGER NOT NULL,
    "schemaVersion" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL,
    "language" TEXT NOT NULL,
    "stateCipher" BLOB NOT NULL,
    "keyId" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME,
    CONSTRAINT "conversations_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "contact_identities" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "cases" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reference" TEXT NOT NULL,
    "pinHash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "assistanceStage" TEXT,
    "resolution" TEXT,
    "urgency" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "indicators" TEXT NOT NULL,
    "reporterRole" TEXT NOT NULL,
    "provinceCode" TEXT,
    "regencyCode" TEXT,
    "districtCode" TEXT,
    "country" TEXT,
    "homeProvinceCode" TEXT,
    "placeCipher" BLOB,
    "victimAgeGroup" TEXT NOT NULL,
    "victimGender" TEXT NOT NULL,
    "victimCount" TEXT NOT NULL,
    "narrativeCipher" BLOB,
    "contactPreference" TEXT NOT NULL,
    "contactCipher" BLOB,
    "reporterIdentityId" TEXT,
    "consentToShare" BOOLEAN NOT NULL,
    "consentAt" DATETIME,
    "language" TEXT NOT NULL,
    "officeCode" TEXT,
    "lookupFlagged" BOOLEAN NOT NULL DEFAULT false,
    "keyId" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "case_events" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "reason" TEXT,
    "data" TEXT,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "case_events_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "inbound_messages" (
    "channel" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL,

    PRIMARY KEY ("channel", "messageId")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "identityId" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payloadCipher" BLOB NOT NULL,
    "keyId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    CONSTRAINT "outbox_messages_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "contact_identities" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "status_lookups" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "identityId" TEXT NOT NULL,
    "referenceHash" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "contact_identities_lookupHash_key" ON "contact_identities"("lookupHash");

-- CreateIndex
CREATE INDEX "conversations_active_expiresAt_idx" ON "conversations"("active", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "cases_reference_key" ON "cases"("reference");

-- CreateIndex
CREATE INDEX "cases_reporterIdentityId_createdAt_idx" ON "cases"("reporterIdentityId", "createdAt");

-- CreateIndex
CREATE INDEX "cases_status_idx" ON "cases"("status");

-- CreateIndex
CREATE INDEX "case_events_caseId_id_idx" ON "case_events"("caseId", "id");

-- CreateIndex
CREATE INDEX "inbound_messages_receivedAt_idx" ON "inbound_messages"("receivedAt");

-- CreateIndex
CREATE INDEX "outbox_messages_status_channel_id_idx" ON "outbox_messages"("status", "channel", "id");

-- CreateIndex
CREATE INDEX "outbox_messages_identityId_status_id_idx" ON "outbox_messages"("identityId", "status", "id");

-- CreateIndex
CREATE INDEX "status_lookups_identityId_createdAt_idx" ON "status_lookups"("identityId", "createdAt");

-- CreateIndex
CREATE INDEX "status_lookups_referenceHash_createdAt_idx" ON "status_lookups"("referenceHash", "createdAt");
