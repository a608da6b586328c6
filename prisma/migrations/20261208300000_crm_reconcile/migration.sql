-- AlterTable
ALTER TABLE "CrmSyncState" ADD COLUMN "reconciledAt" DATETIME;

