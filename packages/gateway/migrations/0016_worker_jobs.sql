ALTER TABLE "worker" ADD COLUMN "jobs" jsonb;--> statement-breakpoint
ALTER TABLE "worker" ADD COLUMN "busy" jsonb;--> statement-breakpoint
ALTER TABLE "worker" ADD COLUMN "nats_server" text;