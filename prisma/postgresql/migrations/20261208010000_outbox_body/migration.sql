-- CreateTable
CREATE TABLE "OutboxBody" (
    "outboxId" INTEGER NOT NULL,
    "payload" TEXT NOT NULL,

    CONSTRAINT "OutboxBody_pkey" PRIMARY KEY ("outboxId")
);

-- AddForeignKey
ALTER TABLE "OutboxBody" ADD CONSTRAINT "OutboxBody_outboxId_fkey" FOREIGN KEY ("outboxId") REFERENCES "Outbox"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Move every message into it before the column goes (payloads of rows already planned are kept).
INSERT INTO "OutboxBody" ("outboxId", "payload") SELECT "id", "payload" FROM "Outbox";

-- AlterTable
ALTER TABLE "Outbox" DROP COLUMN "payload";
