CREATE TABLE "action_rule" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"matchers" jsonb NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_location_id" uuid,
	"scope_system_id" uuid,
	"scope_template" text,
	"endpoint_ids" uuid[] NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "action_rule_name_check" CHECK ("action_rule"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("action_rule"."name") <= 100),
	CONSTRAINT "action_rule_scope_check" CHECK (("action_rule"."scope_kind" = 'all' and num_nonnulls("action_rule"."scope_location_id", "action_rule"."scope_system_id", "action_rule"."scope_template") = 0)
        or ("action_rule"."scope_kind" = 'location' and "action_rule"."scope_location_id" is not null and num_nonnulls("action_rule"."scope_system_id", "action_rule"."scope_template") = 0)
        or ("action_rule"."scope_kind" = 'system' and "action_rule"."scope_system_id" is not null and num_nonnulls("action_rule"."scope_location_id", "action_rule"."scope_template") = 0)
        or ("action_rule"."scope_kind" = 'template' and "action_rule"."scope_template" is not null and num_nonnulls("action_rule"."scope_location_id", "action_rule"."scope_system_id") = 0))
);
--> statement-breakpoint
CREATE TABLE "delivery" (
	"id" text PRIMARY KEY NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"action_rule_id" uuid,
	"alarm_id" uuid,
	"alarm_seq" integer,
	"event_type" text NOT NULL,
	"body" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"last_status_code" integer,
	"last_latency_ms" integer,
	"last_error" text,
	"response_excerpt" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "delivery_excerpt_check" CHECK (length("delivery"."response_excerpt") <= 1024)
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"alarm_id" uuid NOT NULL,
	"alarm_seq" integer NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_endpoint" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"url" text NOT NULL,
	"secret_ciphertext" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"disabled_reason" text,
	"location_id" uuid,
	"failing_since" timestamp with time zone,
	"throttled_until" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_endpoint_name_check" CHECK ("webhook_endpoint"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("webhook_endpoint"."name") <= 100),
	CONSTRAINT "webhook_endpoint_url_check" CHECK ("webhook_endpoint"."url" ~ '^https?://')
);
--> statement-breakpoint
ALTER TABLE "action_rule" ADD CONSTRAINT "action_rule_scope_location_id_location_id_fk" FOREIGN KEY ("scope_location_id") REFERENCES "public"."location"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_rule" ADD CONSTRAINT "action_rule_scope_system_id_system_id_fk" FOREIGN KEY ("scope_system_id") REFERENCES "public"."system"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_endpoint_id_webhook_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoint"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_action_rule_id_action_rule_id_fk" FOREIGN KEY ("action_rule_id") REFERENCES "public"."action_rule"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_alarm_id_alarm_id_fk" FOREIGN KEY ("alarm_id") REFERENCES "public"."alarm"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_endpoint" ADD CONSTRAINT "webhook_endpoint_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "action_rule_name_key" ON "action_rule" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_transition_key" ON "delivery" USING btree ("endpoint_id","alarm_id","alarm_seq");--> statement-breakpoint
CREATE INDEX "delivery_due_idx" ON "delivery" USING btree ("next_attempt_at") WHERE "delivery"."status" in ('pending', 'failed', 'throttled');--> statement-breakpoint
CREATE INDEX "delivery_alarm_idx" ON "delivery" USING btree ("alarm_id","alarm_seq");--> statement-breakpoint
CREATE INDEX "delivery_created_idx" ON "delivery" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "outbox" USING btree ("id") WHERE "outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_created_idx" ON "outbox" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_endpoint_name_key" ON "webhook_endpoint" USING btree ("name");--> statement-breakpoint
CREATE INDEX "webhook_endpoint_location_idx" ON "webhook_endpoint" USING btree ("location_id");--> statement-breakpoint
CREATE FUNCTION "alarm_event_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Every alarm timeline event leaves through the outbox in its own transaction (no dual write).
  -- AFTER ROW: the alarm row written by the same statement (a CTE) or transaction is visible.
  INSERT INTO "outbox" ("alarm_id", "alarm_seq", "kind", "payload")
  SELECT NEW."alarm_id", NEW."seq", NEW."kind", jsonb_build_object(
    'alarm', to_jsonb(a),
    'event', jsonb_build_object('seq', NEW."seq", 'kind', NEW."kind", 'at', NEW."at",
      'by', NEW."by", 'value', NEW."value", 'sampleAt', NEW."sample_at", 'comment', NEW."comment"),
    'rule', jsonb_build_object('name', r."name", 'origin', r."origin"),
    'path', coalesce(c."path", s."path", l."path", p."name", ''),
    'ackName', ap."name")
  FROM "alarm" a
  JOIN "event_rule" r ON r."id" = a."rule_id"
  LEFT JOIN "component" c ON c."id" = a."component_id"
  LEFT JOIN "system" s ON s."id" = a."system_id"
  LEFT JOIN "location" l ON l."id" = a."location_id"
  LEFT JOIN "principal" p ON p."id" = a."node_id"
  LEFT JOIN "principal" ap ON ap."id" = a."acknowledged_by"
  WHERE a."id" = NEW."alarm_id";
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "alarm_event_outbox" AFTER INSERT ON "alarm_event" FOR EACH ROW EXECUTE FUNCTION "alarm_event_outbox"();
