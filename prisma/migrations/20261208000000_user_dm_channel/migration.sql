-- AlterTable
ALTER TABLE "User" ADD COLUMN "dmChannelId" TEXT;

-- CreateIndex
CREATE INDEX "User_slackUserId_idx" ON "User"("slackUserId");

