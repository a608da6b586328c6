-- AlterTable
ALTER TABLE "Touch" ADD COLUMN "externalId" TEXT;

-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN "externalId" TEXT;

-- AlterTable
ALTER TABLE "CrmConnection" ADD COLUMN "adminsToldAt" DATETIME;
ALTER TABLE "CrmConnection" ADD COLUMN "lastPushAt" DATETIME;
ALTER TABLE "CrmConnection" ADD COLUMN "pushBlocked" TEXT;
ALTER TABLE "CrmConnection" ADD COLUMN "pushBlockedSince" DATETIME;
ALTER TABLE "CrmConnection" ADD COLUMN "pushRetryAt" DATETIME;

-- CreateTable
CREATE TABLE "CrmOutbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" INTEGER NOT NULL,
    "op" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "baseline" DATETIME,
    "userId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "lastError" TEXT,
    "errorCode" TEXT,
    "crmId" TEXT,
    "sentAt" DATETIME,
    "notifiedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CrmOutbox_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CrmOutbox_status_nextAttemptAt_idx" ON "CrmOutbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "CrmOutbox_entity_entityId_idx" ON "CrmOutbox"("entity", "entityId");

-- CreateIndex
CREATE INDEX "CrmOutbox_workspaceId_provider_status_idx" ON "CrmOutbox"("workspaceId", "provider", "status");

