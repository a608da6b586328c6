-- AlterTable
ALTER TABLE "Account" ADD COLUMN "crmModifiedAt" DATETIME;

-- CreateTable
CREATE TABLE "CrmSyncState" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "object" TEXT NOT NULL,
    "cursorAt" DATETIME,
    "cursorId" TEXT,
    "phase" TEXT NOT NULL DEFAULT 'initial',
    "pulled" INTEGER NOT NULL DEFAULT 0,
    "created" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "archived" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "lastPullAt" DATETIME,
    "problems" TEXT NOT NULL DEFAULT '[]',
    "lastError" TEXT,
    "lastErrorAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CrmSyncState_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CrmConnection" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'ok',
    "statusReason" TEXT,
    "statusSince" DATETIME,
    "backoffUntil" DATETIME,
    "backoffCount" INTEGER NOT NULL DEFAULT 0,
    "lastRunAt" DATETIME,
    "lastSuccessAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CrmConnection_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Contact" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "email" TEXT,
    "title" TEXT,
    "phone" TEXT,
    "externalId" TEXT,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "crmModifiedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Contact_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Contact" ("accountId", "createdAt", "email", "externalId", "id", "name", "nameKey", "phone", "title", "updatedAt") SELECT "accountId", "createdAt", "email", "externalId", "id", "name", "nameKey", "phone", "title", "updatedAt" FROM "Contact";
DROP TABLE "Contact";
ALTER TABLE "new_Contact" RENAME TO "Contact";
CREATE INDEX "Contact_accountId_nameKey_idx" ON "Contact"("accountId", "nameKey");
CREATE INDEX "Contact_externalId_idx" ON "Contact"("externalId");
CREATE TABLE "new_Deal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" INTEGER NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "title" TEXT,
    "amountCents" BIGINT NOT NULL,
    "stage" TEXT NOT NULL DEFAULT 'prospect',
    "status" TEXT NOT NULL DEFAULT 'open',
    "expectedCloseAt" DATETIME,
    "wonAt" DATETIME,
    "lostAt" DATETIME,
    "lostReason" TEXT,
    "externalId" TEXT,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "crmModifiedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Deal_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Deal_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Deal" ("accountId", "amountCents", "createdAt", "expectedCloseAt", "id", "lostAt", "lostReason", "ownerId", "stage", "status", "title", "updatedAt", "wonAt") SELECT "accountId", "amountCents", "createdAt", "expectedCloseAt", "id", "lostAt", "lostReason", "ownerId", "stage", "status", "title", "updatedAt", "wonAt" FROM "Deal";
DROP TABLE "Deal";
ALTER TABLE "new_Deal" RENAME TO "Deal";
CREATE INDEX "Deal_ownerId_status_wonAt_idx" ON "Deal"("ownerId", "status", "wonAt");
CREATE INDEX "Deal_accountId_status_idx" ON "Deal"("accountId", "status");
CREATE INDEX "Deal_externalId_idx" ON "Deal"("externalId");
CREATE INDEX "Deal_status_wonAt_idx" ON "Deal"("status", "wonAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "CrmSyncState_workspaceId_provider_object_key" ON "CrmSyncState"("workspaceId", "provider", "object");

-- CreateIndex
CREATE UNIQUE INDEX "CrmConnection_workspaceId_provider_key" ON "CrmConnection"("workspaceId", "provider");

