-- CreateTable
CREATE TABLE "providers" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "populations" TEXT NOT NULL,
    "languages" TEXT NOT NULL,
    "hours" TEXT,
    "contacts" TEXT,
    "acceptsChatReferrals" BOOLEAN NOT NULL,
    "active" BOOLEAN NOT NULL,
    "verifiedAt" TIMESTAMP(3),
    "reviewDueAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "providers_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "provider_services" (
    "providerCode" TEXT NOT NULL,
    "service" TEXT NOT NULL,

    CONSTRAINT "provider_services_pkey" PRIMARY KEY ("providerCode","service")
);

-- CreateTable
CREATE TABLE "provider_areas" (
    "providerCode" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "regencyCode" TEXT NOT NULL,

    CONSTRAINT "provider_areas_pkey" PRIMARY KEY ("providerCode","provinceCode","regencyCode")
);

-- CreateIndex
CREATE INDEX "provider_services_service_idx" ON "provider_services"("service");

-- CreateIndex
CREATE INDEX "provider_areas_provinceCode_regencyCode_idx" ON "provider_areas"("provinceCode", "regencyCode");

-- AddForeignKey
ALTER TABLE "provider_services" ADD CONSTRAINT "provider_services_providerCode_fkey" FOREIGN KEY ("providerCode") REFERENCES "providers"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_areas" ADD CONSTRAINT "provider_areas_providerCode_fkey" FOREIGN KEY ("providerCode") REFERENCES "providers"("code") ON DELETE CASCADE ON UPDATE CASCADE;
