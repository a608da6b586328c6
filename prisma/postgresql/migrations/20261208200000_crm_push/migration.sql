-- AlterTable
ALTER TABLE "Touch" ADD COLUMN     "externalId" TEXT;

-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN     "externalId" TEXT;

-- AlterTable
ALTER TABLE "CrmConnection" ADD COLUMN     "adminsToldAt" TIMESTAMP(3),
ADD COLUMN     "lastPushAt" TIMESTAMP(3),
ADD COLUMN     "pushBlocked" TEXT,
ADD COLUMN     "pushBlockedSince" TIMESTAMP(3),
ADD COLUMN     "pushRetryAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "CrmOutbox" (
    "id" SERIAL NOT NULL,
    "workspaceId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" INTEGER NOT NULL,
    "op" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "baseline" TIMESTAMP(3),
    "userId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "errorCode" TEXT,
    "crmId" TEXT,
    "sentAt" TIMESTAMP(3),
    "notifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CrmOutbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CrmOutbox_status_nextAttemptAt_idx" ON "CrmOutbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "CrmOutbox_entity_entityId_idx" ON "CrmOutbox"("entity", "entityId");

-- CreateIndex
CREATE INDEX "CrmOutbox_workspaceId_provider_status_idx" ON "CrmOutbox"("workspaceId", "provider", "status");

-- AddForeignKey
ALTER TABLE "CrmOutbox" ADD CONSTRAINT "CrmOutbox_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

