CREATE TABLE "sign_in_failure" (
	"id" uuid PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "scope_kind" text DEFAULT 'platform' NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "scope_path" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "scope_id" uuid;--> statement-breakpoint
CREATE INDEX "sign_in_failure_key_at_idx" ON "sign_in_failure" USING btree ("key","at");--> statement-breakpoint
CREATE INDEX "sign_in_failure_at_idx" ON "sign_in_failure" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_scope_path_idx" ON "audit_log" USING btree ("scope_path");--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_scope_kind_check" CHECK ("audit_log"."scope_kind" in ('location', 'system', 'component', 'platform'));--> statement-breakpoint
-- Backfill where earlier rows' objects stood, from their images (rows that name no placement stay platform-wide).
UPDATE "audit_log" SET "scope_kind" = 'location', "scope_path" = coalesce("after"->>'path', "before"->>'path')
  WHERE "resource" = 'location' AND coalesce("after"->>'path', "before"->>'path') IS NOT NULL;--> statement-breakpoint
UPDATE "audit_log" SET "scope_kind" = 'location', "scope_path" = coalesce("after"->'location'->>'path', "before"->'location'->>'path')
  WHERE "resource" = 'node' AND coalesce("after"->'location'->>'path', "before"->'location'->>'path') IS NOT NULL;--> statement-breakpoint
UPDATE "audit_log" SET "scope_kind" = "resource", "scope_path" = coalesce("after"->>'path', "before"->>'path'), "scope_id" = "resource_id"::uuid
  WHERE "resource" IN ('system', 'component') AND coalesce("after"->>'path', "before"->>'path') IS NOT NULL
  AND "resource_id" ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';--> statement-breakpoint
UPDATE "audit_log" a SET "scope_kind" = 'system', "scope_path" = s."path", "scope_id" = s."id" FROM "system" s
  WHERE a."resource" = 'system-role' AND s."id"::text = coalesce(a."after"->>'systemId', a."before"->>'systemId');--> statement-breakpoint
UPDATE "audit_log" SET "scope_kind" = coalesce("after"->>'level', "before"->>'level'), "scope_path" = coalesce("after"->>'path', "before"->>'path')
  WHERE "resource" IN ('tag', 'variable') AND coalesce("after"->>'level', "before"->>'level') IN ('location', 'system', 'component')
  AND coalesce("after"->>'path', "before"->>'path') IS NOT NULL;
