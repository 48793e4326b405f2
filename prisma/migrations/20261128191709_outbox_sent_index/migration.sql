-- CreateIndex
CREATE INDEX "outbox_messages_channel_sentAt_idx" ON "outbox_messages"("channel", "sentAt");
