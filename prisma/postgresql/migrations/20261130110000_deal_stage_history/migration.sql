-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "dealCloseSoonDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "dealNoTouchDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "dealStallDays" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "Deal" ADD COLUMN     "stageChangedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "DealStageChange" (
    "id" SERIAL NOT NULL,
    "dealId" INTEGER NOT NULL,
    "fromStage" TEXT,
    "toStage" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "byUserId" INTEGER,
    "source" TEXT NOT NULL,

    CONSTRAINT "DealStageChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DealStageChange_dealId_at_idx" ON "DealStageChange"("dealId", "at");

-- AddForeignKey
ALTER TABLE "DealStageChange" ADD CONSTRAINT "DealStageChange_dealId_fkey" FOREIGN KEY ("dealId") REFERENCES "Deal"("id") ON DELETE CASCADE ON UPDATE CASCADE;

