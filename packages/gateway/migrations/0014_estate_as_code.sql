CREATE SEQUENCE "public"."estate_revision_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "estate_apply" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"by_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"revision_after" bigint NOT NULL,
	"counts" jsonb NOT NULL,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "estate_approval" (
	"id" uuid PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"approver_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"comment" text
);
--> statement-breakpoint
CREATE TABLE "estate_change" (
	"revision" bigint PRIMARY KEY DEFAULT nextval('estate_revision_seq') NOT NULL,
	"table_name" text NOT NULL,
	"object_id" uuid NOT NULL,
	"op" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid
);
--> statement-breakpoint
CREATE TABLE "estate_lock" (
	"name" text PRIMARY KEY NOT NULL,
	"lock_id" uuid NOT NULL,
	"holder_id" uuid NOT NULL,
	"holder" text NOT NULL,
	"purpose" text NOT NULL,
	"acquired_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "estate_managed" (
	"address" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"object_id" uuid,
	"spec" jsonb NOT NULL,
	"apply_id" uuid NOT NULL,
	"plan_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "estate_plan" (
	"id" text PRIMARY KEY NOT NULL,
	"planner_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"desired_digest" text NOT NULL,
	"base_revision" bigint NOT NULL,
	"base_count" bigint NOT NULL,
	"plan" jsonb NOT NULL,
	"desired" jsonb NOT NULL,
	"summary" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"subtree" text,
	CONSTRAINT "estate_plan_status_check" CHECK ("estate_plan"."status" in ('pending', 'approved', 'applied', 'stale', 'discarded'))
);
--> statement-breakpoint
ALTER TABLE "estate_apply" ADD CONSTRAINT "estate_apply_plan_id_estate_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."estate_plan"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estate_apply" ADD CONSTRAINT "estate_apply_by_id_principal_id_fk" FOREIGN KEY ("by_id") REFERENCES "public"."principal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estate_approval" ADD CONSTRAINT "estate_approval_plan_id_estate_plan_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."estate_plan"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estate_approval" ADD CONSTRAINT "estate_approval_approver_id_principal_id_fk" FOREIGN KEY ("approver_id") REFERENCES "public"."principal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estate_plan" ADD CONSTRAINT "estate_plan_planner_id_principal_id_fk" FOREIGN KEY ("planner_id") REFERENCES "public"."principal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "estate_apply_at_idx" ON "estate_apply" USING btree ("at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "estate_approval_key" ON "estate_approval" USING btree ("plan_id","approver_id");--> statement-breakpoint
CREATE INDEX "estate_change_at_idx" ON "estate_change" USING btree ("at");--> statement-breakpoint
CREATE INDEX "estate_managed_object_idx" ON "estate_managed" USING btree ("object_id");--> statement-breakpoint
CREATE INDEX "estate_plan_created_idx" ON "estate_plan" USING btree ("created_at","id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION "estate_log_change"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
BEGIN
  -- 0014 (issue #15, decision 0012): every write to what estate files manage appends one row to
  -- the change log; the revision comes from a sequence (no hot row). TG_ARGV[0] names the column
  -- holding the object's id (a member's, role's or interface's owner). The writer may say who it
  -- is with `set local omniglass.actor = '<principal id>'` (estate applies do).
  IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
  -- Template and built-in rules are materialised at start, not managed by files.
  IF TG_TABLE_NAME = 'event_rule' AND r->>'origin' <> 'custom' THEN RETURN NULL; END IF;
  INSERT INTO "estate_change" ("table_name", "object_id", "op", "actor_id")
  VALUES (TG_TABLE_NAME, (r->>TG_ARGV[0])::uuid, lower(TG_OP),
    nullif(current_setting('omniglass.actor', true), '')::uuid);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DO $$
DECLARE
  t record;
BEGIN
  -- (table, object id column, columns the data plane writes that are not managed by files)
  FOR t IN SELECT * FROM (VALUES
    ('location', 'id', ARRAY[]::text[]),
    ('system', 'id', ARRAY[]::text[]),
    ('system_role', 'system_id', ARRAY[]::text[]),
    ('system_member', 'system_id', ARRAY[]::text[]),
    ('component', 'id', ARRAY[]::text[]),
    ('component_interface', 'component_id', ARRAY[]::text[]),
    -- heartbeats (last_seen_at, heartbeat) and enrollment are the node's own, not the files'
    ('node', 'id', ARRAY['last_seen_at', 'heartbeat', 'enrollment_hash', 'enrollment_prefix',
      'enrollment_expires_at', 'enrolled_at', 'version', 'updated_at']),
    ('estate_binding', 'id', ARRAY[]::text[]),
    ('event_rule', 'id', ARRAY[]::text[]),
    ('maintenance_window', 'id', ARRAY[]::text[]),
    ('action_rule', 'id', ARRAY[]::text[]),
    -- the delivery path's failure clock and throttle
    ('webhook_endpoint', 'id', ARRAY['failing_since', 'throttled_until']),
    ('role_grant', 'id', ARRAY[]::text[])
  ) AS v(name, id_column, hot)
  LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION estate_log_change(%L)',
      t.name || '_estate_change_write', t.name, t.id_column);
    EXECUTE format(
      'CREATE TRIGGER %I AFTER UPDATE ON %I FOR EACH ROW WHEN ((to_jsonb(OLD) - %L::text[]) IS DISTINCT FROM (to_jsonb(NEW) - %L::text[])) EXECUTE FUNCTION estate_log_change(%L)',
      t.name || '_estate_change_update', t.name, t.hot, t.hot, t.id_column);
  END LOOP;
END;
$$;
