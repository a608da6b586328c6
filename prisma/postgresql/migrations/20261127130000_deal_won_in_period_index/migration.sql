-- CreateIndex
CREATE INDEX "Deal_status_wonAt_idx" ON "Deal"("status", "wonAt");

