-- CreateTable
CREATE TABLE "OutboxBody" (
    "outboxId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "payload" TEXT NOT NULL,
    CONSTRAINT "OutboxBody_outboxId_fkey" FOREIGN KEY ("outboxId") REFERENCES "Outbox" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Move every message into it before the column goes (payloads of rows already planned are kept).
INSERT INTO "OutboxBody" ("outboxId", "payload") SELECT "id", "payload" FROM "Outbox";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "recipientType" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "localDate" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "channelId" TEXT,
    "messageTs" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_Outbox" ("attempts", "channelId", "createdAt", "id", "kind", "lastError", "localDate", "lockedBy", "lockedUntil", "messageTs", "nextAttemptAt", "recipient", "recipientType", "sentAt", "status", "updatedAt") SELECT "attempts", "channelId", "createdAt", "id", "kind", "lastError", "localDate", "lockedBy", "lockedUntil", "messageTs", "nextAttemptAt", "recipient", "recipientType", "sentAt", "status", "updatedAt" FROM "Outbox";
DROP TABLE "Outbox";
ALTER TABLE "new_Outbox" RENAME TO "Outbox";
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");
CREATE UNIQUE INDEX "Outbox_recipient_localDate_kind_key" ON "Outbox"("recipient", "localDate", "kind");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

