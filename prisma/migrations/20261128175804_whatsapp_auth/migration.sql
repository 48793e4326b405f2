-- CreateTable
CREATE TABLE "whatsapp_auth" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "valueCipher" BLOB NOT NULL,
    "keyId" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);
