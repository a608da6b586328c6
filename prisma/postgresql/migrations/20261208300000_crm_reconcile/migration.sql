-- AlterTable
ALTER TABLE "CrmSyncState" ADD COLUMN     "reconciledAt" TIMESTAMP(3);

