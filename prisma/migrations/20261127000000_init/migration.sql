-- CreateTable
CREATE TABLE "Workspace" (
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
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Holiday" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "date" TEXT NOT NULL,
    "name" TEXT,
    CONSTRAINT "Holiday_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "timezone" TEXT NOT NULL,
    "timezoneOverride" TEXT,
    "locale" TEXT NOT NULL DEFAULT 'en-US',
    "language" TEXT,
    "role" TEXT NOT NULL DEFAULT 'rep',
    "isSlackAdmin" BOOLEAN NOT NULL DEFAULT false,
    "reminderTime" TEXT NOT NULL DEFAULT '09:00',
    "reminderDays" TEXT NOT NULL DEFAULT '1,2,3,4,5',
    "remindersPaused" BOOLEAN NOT NULL DEFAULT false,
    "reminderSkipDates" TEXT NOT NULL DEFAULT '',
    "inactive" BOOLEAN NOT NULL DEFAULT false,
    "hiredOn" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "User_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Team" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "managerId" INTEGER,
    "channelId" TEXT,
    "timezone" TEXT,
    "celebrateWins" BOOLEAN NOT NULL DEFAULT true,
    "celebrateShowAmount" BOOLEAN NOT NULL DEFAULT true,
    "leaderboardMetrics" TEXT NOT NULL DEFAULT 'won,deals,touches',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Team_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Team_managerId_fkey" FOREIGN KEY ("managerId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TeamMember" (
    "teamId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("teamId", "userId"),
    CONSTRAINT "TeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TeamMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Account" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'company',
    "tier" TEXT NOT NULL DEFAULT 'standard',
    "annualValueCents" BIGINT NOT NULL DEFAULT 0,
    "industry" TEXT,
    "archived" BOOLEAN NOT NULL DEFAULT false,
    "lastTouchAt" DATETIME,
    "snoozedUntil" DATETIME,
    "externalId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Account_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Account_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "nameKey" TEXT NOT NULL,
    "email" TEXT,
    "title" TEXT,
    "phone" TEXT,
    "externalId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Contact_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Touch" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "note" TEXT,
    "source" TEXT NOT NULL DEFAULT 'command',
    "sourceRef" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Touch_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Touch_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TouchParticipant" (
    "touchId" INTEGER NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "userId" INTEGER,

    PRIMARY KEY ("touchId", "slackUserId"),
    CONSTRAINT "TouchParticipant_touchId_fkey" FOREIGN KEY ("touchId") REFERENCES "Touch" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TouchParticipant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FollowUp" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" INTEGER NOT NULL,
    "userId" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "dueAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "snoozedUntil" DATETIME,
    "completedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FollowUp_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "FollowUp_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Deal" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "accountId" INTEGER NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "title" TEXT,
    "amountCents" BIGINT NOT NULL,
    "stage" TEXT NOT NULL DEFAULT 'prospect',
    "status" TEXT NOT NULL DEFAULT 'open',
    "expectedCloseAt" DATETIME,
    "wonAt" DATETIME,
    "lostAt" DATETIME,
    "lostReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Deal_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Deal_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Quota" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "periodType" TEXT NOT NULL,
    "periodStart" TEXT NOT NULL,
    "amountCents" BIGINT NOT NULL,
    "rampFactor" REAL NOT NULL DEFAULT 1,
    "setById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Quota_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Quota_setById_fkey" FOREIGN KEY ("setById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CompPlan" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "userId" INTEGER NOT NULL,
    "baseSalaryCents" BIGINT NOT NULL DEFAULT 0,
    "commissionRate" REAL NOT NULL,
    "acceleratorMultiplier" REAL NOT NULL DEFAULT 1,
    "deceleratorThreshold" REAL,
    "deceleratorMultiplier" REAL,
    "bonuses" TEXT NOT NULL DEFAULT '[]',
    "periodType" TEXT NOT NULL DEFAULT 'quarter',
    "effectiveFrom" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "CompPlan_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Gift" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "workspaceId" INTEGER NOT NULL,
    "accountId" INTEGER NOT NULL,
    "contactId" INTEGER,
    "userId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'gift',
    "recipientName" TEXT NOT NULL,
    "recipientKey" TEXT NOT NULL,
    "amountCents" BIGINT NOT NULL,
    "givenOn" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "overLimit" BOOLEAN NOT NULL DEFAULT false,
    "overrideReason" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Gift_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Gift_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Gift_contactId_fkey" FOREIGN KEY ("contactId") REFERENCES "Contact" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Gift_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "recipientType" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "localDate" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" TEXT NOT NULL,
    "lastError" TEXT,
    "lockedBy" TEXT,
    "lockedUntil" DATETIME,
    "channelId" TEXT,
    "messageTs" TEXT,
    "sentAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "JobLease" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "holder" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ProcessedRequest" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Workspace_slackTeamId_key" ON "Workspace"("slackTeamId");

-- CreateIndex
CREATE UNIQUE INDEX "Holiday_workspaceId_date_key" ON "Holiday"("workspaceId", "date");

-- CreateIndex
CREATE INDEX "User_workspaceId_remindersPaused_idx" ON "User"("workspaceId", "remindersPaused");

-- CreateIndex
CREATE UNIQUE INDEX "User_workspaceId_slackUserId_key" ON "User"("workspaceId", "slackUserId");

-- CreateIndex
CREATE INDEX "Team_managerId_idx" ON "Team"("managerId");

-- CreateIndex
CREATE UNIQUE INDEX "Team_workspaceId_nameKey_key" ON "Team"("workspaceId", "nameKey");

-- CreateIndex
CREATE INDEX "TeamMember_userId_idx" ON "TeamMember"("userId");

-- CreateIndex
CREATE INDEX "Account_ownerId_archived_lastTouchAt_idx" ON "Account"("ownerId", "archived", "lastTouchAt");

-- CreateIndex
CREATE INDEX "Account_workspaceId_nameKey_idx" ON "Account"("workspaceId", "nameKey");

-- CreateIndex
CREATE UNIQUE INDEX "Account_workspaceId_externalId_key" ON "Account"("workspaceId", "externalId");

-- CreateIndex
CREATE INDEX "Contact_accountId_nameKey_idx" ON "Contact"("accountId", "nameKey");

-- CreateIndex
CREATE INDEX "Touch_accountId_occurredAt_idx" ON "Touch"("accountId", "occurredAt");

-- CreateIndex
CREATE INDEX "Touch_userId_occurredAt_idx" ON "Touch"("userId", "occurredAt");

-- CreateIndex
CREATE INDEX "TouchParticipant_userId_idx" ON "TouchParticipant"("userId");

-- CreateIndex
CREATE INDEX "FollowUp_userId_status_dueAt_idx" ON "FollowUp"("userId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "FollowUp_accountId_status_idx" ON "FollowUp"("accountId", "status");

-- CreateIndex
CREATE INDEX "Deal_ownerId_status_wonAt_idx" ON "Deal"("ownerId", "status", "wonAt");

-- CreateIndex
CREATE INDEX "Deal_accountId_status_idx" ON "Deal"("accountId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Quota_userId_periodType_periodStart_key" ON "Quota"("userId", "periodType", "periodStart");

-- CreateIndex
CREATE INDEX "CompPlan_userId_effectiveFrom_idx" ON "CompPlan"("userId", "effectiveFrom");

-- CreateIndex
CREATE INDEX "Gift_workspaceId_recipientKey_givenOn_idx" ON "Gift"("workspaceId", "recipientKey", "givenOn");

-- CreateIndex
CREATE INDEX "Gift_accountId_givenOn_idx" ON "Gift"("accountId", "givenOn");

-- CreateIndex
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "Outbox_recipient_localDate_kind_key" ON "Outbox"("recipient", "localDate", "kind");

-- CreateIndex
CREATE INDEX "ProcessedRequest_createdAt_idx" ON "ProcessedRequest"("createdAt");

