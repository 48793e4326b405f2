-- CreateTable
CREATE TABLE "web_login_links" (
    "tokenHash" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "web_login_links_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "web_sessions" (
    "tokenHash" TEXT NOT NULL,
    "staffId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "web_sessions_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateIndex
CREATE INDEX "web_login_links_staffId_idx" ON "web_login_links"("staffId");

-- CreateIndex
CREATE INDEX "web_sessions_staffId_endedAt_idx" ON "web_sessions"("staffId", "endedAt");

-- AddForeignKey
ALTER TABLE "web_login_links" ADD CONSTRAINT "web_login_links_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "web_sessions" ADD CONSTRAINT "web_sessions_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;
