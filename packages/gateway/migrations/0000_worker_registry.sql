CREATE TABLE "worker" (
	"id" uuid PRIMARY KEY NOT NULL,
	"hostname" text NOT NULL,
	"pid" integer NOT NULL,
	"version" text NOT NULL,
	"lifecycle" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"interval_ms" integer NOT NULL,
	"consumers" jsonb NOT NULL,
	"last_error" text,
	CONSTRAINT "worker_lifecycle_check" CHECK ("worker"."lifecycle" in ('running', 'stopping', 'stopped')),
	CONSTRAINT "worker_interval_check" CHECK ("worker"."interval_ms" > 0)
);
--> statement-breakpoint
CREATE INDEX "worker_started_at_id_idx" ON "worker" USING btree ("started_at" DESC NULLS LAST,"id" DESC NULLS LAST);