-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "stageProbabilityNegotiation" INTEGER NOT NULL DEFAULT 75,
ADD COLUMN     "stageProbabilityProposal" INTEGER NOT NULL DEFAULT 50,
ADD COLUMN     "stageProbabilityProspect" INTEGER NOT NULL DEFAULT 10,
ADD COLUMN     "stageProbabilityQualified" INTEGER NOT NULL DEFAULT 25;

-- AlterTable
ALTER TABLE "Deal" ADD COLUMN     "forecastCategory" TEXT;

