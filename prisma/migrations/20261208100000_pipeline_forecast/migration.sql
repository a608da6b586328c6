-- AlterTable
ALTER TABLE "Deal" ADD COLUMN "forecastCategory" TEXT;

-- AlterTable
-- Written as ADD COLUMN rather than the table redefinition `prisma migrate diff` prints for SQLite:
-- the same end state, and it cannot drop a Workspace column another migration adds meanwhile.
ALTER TABLE "Workspace" ADD COLUMN "stageProbabilityProspect" INTEGER NOT NULL DEFAULT 10;
ALTER TABLE "Workspace" ADD COLUMN "stageProbabilityQualified" INTEGER NOT NULL DEFAULT 25;
ALTER TABLE "Workspace" ADD COLUMN "stageProbabilityProposal" INTEGER NOT NULL DEFAULT 50;
ALTER TABLE "Workspace" ADD COLUMN "stageProbabilityNegotiation" INTEGER NOT NULL DEFAULT 75;
