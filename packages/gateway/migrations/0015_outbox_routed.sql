ALTER TABLE "outbox" ADD COLUMN "routed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "outbox_unrouted_idx" ON "outbox" USING btree ("alarm_id","alarm_seq") WHERE "outbox"."routed_at" is null;--> statement-breakpoint
-- Rows published before 0015 were routed by the consumer then (it had no mark to set).
UPDATE "outbox" SET "routed_at" = "published_at" WHERE "published_at" IS NOT NULL;
