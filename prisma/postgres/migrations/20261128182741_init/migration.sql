-- CreateTable
CREATE TABLE "contact_identities" (
    "id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "lookupHash" TEXT NOT NULL,
    "addressCipher" BYTEA NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "unreachableAt" TIMESTAMP(3),

    CONSTRAINT "contact_identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversations" (
    "identityId" TEXT NOT NULL,
    "rowVersion" INTEGER NOT NULL,
    "schemaVersion" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL,
    "language" TEXT NOT NULL,
    "stateCipher" BYTEA NOT NULL,
    "keyId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "conversations_pkey" PRIMARY KEY ("identityId")
);

-- CreateTable
CREATE TABLE "cases" (
    "id" TEXT NOT NULL,
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
    "placeCipher" BYTEA,
    "victimAgeGroup" TEXT NOT NULL,
    "victimGender" TEXT NOT NULL,
    "victimCount" TEXT NOT NULL,
    "narrativeCipher" BYTEA,
    "contactPreference" TEXT NOT NULL,
    "contactCipher" BYTEA,
    "reporterIdentityId" TEXT,
    "consentToShare" BOOLEAN NOT NULL,
    "consentAt" TIMESTAMP(3),
    "language" TEXT NOT NULL,
    "officeCode" TEXT,
    "cardOfficeCode" TEXT,
    "assignedStaffId" TEXT,
    "victimPinHash" TEXT,
    "lookupFlagged" BOOLEAN NOT NULL DEFAULT false,
    "keyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "acknowledgedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "routedAt" TIMESTAMP(3),
    "lastActivityAt" TIMESTAMP(3),
    "serviceStartedAt" TIMESTAMP(3),
    "monitoringStartedAt" TIMESTAMP(3),
    "escalatedAt" TIMESTAMP(3),
    "duressPinHash" TEXT,
    "duressUsedAt" TIMESTAMP(3),
    "consentWithdrawnAt" TIMESTAMP(3),
    "retraffickingRiskAt" TIMESTAMP(3),
    "purgedAt" TIMESTAMP(3),

    CONSTRAINT "cases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "case_events" (
    "id" SERIAL NOT NULL,
    "caseId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "reason" TEXT,
    "data" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "case_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbound_messages" (
    "channel" TEXT NOT NULL,
    "messageId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "identityId" TEXT,
    "platformMessageId" TEXT,

    CONSTRAINT "inbound_messages_pkey" PRIMARY KEY ("channel","messageId")
);

-- CreateTable
CREATE TABLE "outbox_messages" (
    "id" SERIAL NOT NULL,
    "identityId" TEXT,
    "officeCode" TEXT,
    "hasChoices" BOOLEAN NOT NULL DEFAULT false,
    "kind" TEXT NOT NULL DEFAULT 'MESSAGE',
    "channel" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "payloadCipher" BYTEA NOT NULL,
    "keyId" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "platformMessageId" TEXT,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),

    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_lookups" (
    "id" SERIAL NOT NULL,
    "identityId" TEXT NOT NULL,
    "referenceHash" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "status_lookups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offices" (
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "provinceCode" TEXT,
    "destinationKind" TEXT NOT NULL DEFAULT 'NONE',
    "destinationIdentityId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "offices_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "staff" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL,
    "identityId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "deactivatedAt" TIMESTAMP(3),

    CONSTRAINT "staff_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "staff_invites" (
    "codeHash" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "staff_invites_pkey" PRIMARY KEY ("codeHash")
);

-- CreateTable
CREATE TABLE "case_copies" (
    "caseId" TEXT NOT NULL,
    "officeCode" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "case_copies_pkey" PRIMARY KEY ("caseId","officeCode")
);

-- CreateTable
CREATE TABLE "case_messages" (
    "id" SERIAL NOT NULL,
    "caseId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "staffId" TEXT,
    "bodyCipher" BYTEA NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "case_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" SERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "caseId" TEXT,
    "detail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attachments" (
    "id" TEXT NOT NULL,
    "identityId" TEXT NOT NULL,
    "caseId" TEXT,
    "kind" TEXT NOT NULL,
    "mimeType" TEXT,
    "size" INTEGER NOT NULL,
    "blobCipher" BYTEA NOT NULL,
    "keyId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "attachments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "whatsapp_auth" (
    "key" TEXT NOT NULL,
    "valueCipher" BYTEA NOT NULL,
    "keyId" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "whatsapp_auth_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "follow_ups" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "anchor" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL,
    "claimedBy" TEXT,
    "claimedUntil" TIMESTAMP(3),
    "doneAt" TIMESTAMP(3),
    "answer" TEXT,
    "answeredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "follow_ups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "leases_pkey" PRIMARY KEY ("name")
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
CREATE INDEX "cases_officeCode_status_idx" ON "cases"("officeCode", "status");

-- CreateIndex
CREATE INDEX "case_events_caseId_id_idx" ON "case_events"("caseId", "id");

-- CreateIndex
CREATE INDEX "inbound_messages_receivedAt_idx" ON "inbound_messages"("receivedAt");

-- CreateIndex
CREATE INDEX "inbound_messages_identityId_receivedAt_idx" ON "inbound_messages"("identityId", "receivedAt");

-- CreateIndex
CREATE INDEX "outbox_messages_status_channel_id_idx" ON "outbox_messages"("status", "channel", "id");

-- CreateIndex
CREATE INDEX "outbox_messages_identityId_status_id_idx" ON "outbox_messages"("identityId", "status", "id");

-- CreateIndex
CREATE INDEX "outbox_messages_identityId_hasChoices_id_idx" ON "outbox_messages"("identityId", "hasChoices", "id");

-- CreateIndex
CREATE INDEX "outbox_messages_officeCode_status_idx" ON "outbox_messages"("officeCode", "status");

-- CreateIndex
CREATE INDEX "status_lookups_identityId_createdAt_idx" ON "status_lookups"("identityId", "createdAt");

-- CreateIndex
CREATE INDEX "status_lookups_referenceHash_createdAt_idx" ON "status_lookups"("referenceHash", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "staff_identityId_key" ON "staff"("identityId");

-- CreateIndex
CREATE INDEX "staff_officeCode_active_idx" ON "staff"("officeCode", "active");

-- CreateIndex
CREATE INDEX "case_messages_caseId_id_idx" ON "case_messages"("caseId", "id");

-- CreateIndex
CREATE INDEX "audit_log_caseId_id_idx" ON "audit_log"("caseId", "id");

-- CreateIndex
CREATE INDEX "attachments_identityId_createdAt_idx" ON "attachments"("identityId", "createdAt");

-- CreateIndex
CREATE INDEX "attachments_caseId_idx" ON "attachments"("caseId");

-- CreateIndex
CREATE INDEX "follow_ups_status_dueAt_idx" ON "follow_ups"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "follow_ups_caseId_kind_anchor_key" ON "follow_ups"("caseId", "kind", "anchor");

-- AddForeignKey
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "contact_identities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox_messages" ADD CONSTRAINT "outbox_messages_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "contact_identities"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff" ADD CONSTRAINT "staff_identityId_fkey" FOREIGN KEY ("identityId") REFERENCES "contact_identities"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_invites" ADD CONSTRAINT "staff_invites_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_copies" ADD CONSTRAINT "case_copies_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_messages" ADD CONSTRAINT "case_messages_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "cases"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
