-- AlterTable
ALTER TABLE "Deal" ADD COLUMN "stageChangedAt" DATETIME;

-- CreateTable
CREATE TABLE "DealStageChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "dealId" INTEGER NOT NULL,
    "fromStage" TEXT,
    "toStage" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "byUserId" INTEGER,
    "source" TEXT NOT NULL,
    CONSTRAINT "DealStageChange_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Workspace" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slackTeamId" TEXT NOT NULL,
    "name" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "timezone" TEXT NOT NULL DEFAULT 'America/New_York',
    "fiscalYearStartMonth" INTEGER NOT NULL DEFAULT 1,
    "neglectKeyDays" INTEGER NOT NULL DEFAULT 7,
    "neglectGrowthDays" INTEGER NOT NULL DEFAULT 14,
    "neglectStandardDays" INTEGER NOT NULL DEFAULT 30,
    "paceMode" TEXT NOT NULL DEFAULT 'business',
    "giftLimitCents" BIGINT,
    "giftYearMode" TEXT NOT NULL DEFAULT 'calendar',
    "dealStallDays" INTEGER NOT NULL DEFAULT 30,
    "dealCloseSoonDays" INTEGER NOT NULL DEFAULT 7,
    "dealNoTouchDays" INTEGER NOT NULL DEFAULT 7,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Workspace" ("createdAt", "currency", "fiscalYearStartMonth", "giftLimitCents", "giftYearMode", "id", "name", "neglectGrowthDays", "neglectKeyDays", "neglectStandardDays", "paceMode", "slackTeamId", "timezone", "updatedAt") SELECT "createdAt", "currency", "fiscalYearStartMonth", "giftLimitCents", "giftYearMode", "id", "name", "neglectGrowthDays", "neglectKeyDays", "neglectStandardDays", "paceMode", "slackTeamId", "timezone", "updatedAt" FROM "Workspace";
DROP TABLE "Workspace";
ALTER TABLE "new_Workspace" RENAME TO "Workspace";
CREATE UNIQUE INDEX "Workspace_slackTeamId_key" ON "Workspace"("slackTeamId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "DealStageChange_dealId_at_idx" ON "DealStageChange"("dealId", "at");

