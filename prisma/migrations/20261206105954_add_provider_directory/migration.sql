-- CreateTable
CREATE TABLE "providers" (
    "code" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "populations" TEXT NOT NULL,
    "languages" TEXT NOT NULL,
    "hours" TEXT,
    "contacts" TEXT,
    "acceptsChatReferrals" BOOLEAN NOT NULL,
    "active" BOOLEAN NOT NULL,
    "verifiedAt" DATETIME,
    "reviewDueAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "provider_services" (
    "providerCode" TEXT NOT NULL,
    "service" TEXT NOT NULL,

    PRIMARY KEY ("providerCode", "service"),
    CONSTRAINT "provider_services_providerCode_fkey" FOREIGN KEY ("providerCode") REFERENCES "providers" ("code") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "provider_areas" (
    "providerCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,

    PRIMARY KEY ("providerCode", "provinceCode", "regencyCode"),
    CONSTRAINT "provider_areas_providerCode_fkey" FOREIGN KEY ("providerCode") REFERENCES "providers" ("code") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "provider_services_service_idx" ON "provider_services"("service");

-- CreateIndex
CREATE INDEX "provider_areas_provinceCode_regencyCode_idx" ON "provider_areas"("provinceCode", "regencyCode");
