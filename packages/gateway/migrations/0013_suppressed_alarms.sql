CREATE TABLE "delivery_attempt" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "delivery_attempt_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"delivery_id" text NOT NULL,
	"attempt" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"latency_ms" integer,
	"error" text,
	"response_excerpt" text,
	CONSTRAINT "delivery_attempt_excerpt_check" CHECK (length("delivery_attempt"."response_excerpt") <= 1024)
);
--> statement-breakpoint
CREATE TABLE "storm_notice" (
	"id" uuid PRIMARY KEY NOT NULL,
	"root_alarm_id" uuid NOT NULL,
	"group_kind" text NOT NULL,
	"group_id" uuid NOT NULL,
	"endpoint_id" uuid NOT NULL,
	"delivery_id" text,
	"count" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alarm" DROP CONSTRAINT "alarm_owner_check";--> statement-breakpoint
DROP INDEX "alarm_one_open_key";--> statement-breakpoint
ALTER TABLE "alarm" ADD COLUMN "endpoint_id" uuid;--> statement-breakpoint
ALTER TABLE "alarm" ADD COLUMN "suppressed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "alarm" ADD COLUMN "suppression" jsonb;--> statement-breakpoint
ALTER TABLE "alarm" ADD COLUMN "root_alarm_id" uuid;--> statement-breakpoint
ALTER TABLE "delivery_attempt" ADD CONSTRAINT "delivery_attempt_delivery_id_delivery_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."delivery"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storm_notice" ADD CONSTRAINT "storm_notice_root_alarm_id_alarm_id_fk" FOREIGN KEY ("root_alarm_id") REFERENCES "public"."alarm"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storm_notice" ADD CONSTRAINT "storm_notice_endpoint_id_webhook_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoint"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "storm_notice" ADD CONSTRAINT "storm_notice_delivery_id_delivery_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."delivery"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "delivery_attempt_key" ON "delivery_attempt" USING btree ("delivery_id","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "storm_notice_key" ON "storm_notice" USING btree ("root_alarm_id","group_kind","group_id","endpoint_id");--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_endpoint_id_webhook_endpoint_id_fk" FOREIGN KEY ("endpoint_id") REFERENCES "public"."webhook_endpoint"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_root_alarm_id_alarm_id_fk" FOREIGN KEY ("root_alarm_id") REFERENCES "public"."alarm"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alarm_endpoint_idx" ON "alarm" USING btree ("endpoint_id");--> statement-breakpoint
CREATE INDEX "alarm_root_idx" ON "alarm" USING btree ("root_alarm_id") WHERE "alarm"."root_alarm_id" is not null;--> statement-breakpoint
CREATE INDEX "alarm_suppressed_idx" ON "alarm" USING btree ("opened_at","id") WHERE "alarm"."lifecycle" = 'open' and "alarm"."suppressed";--> statement-breakpoint
CREATE UNIQUE INDEX "alarm_one_open_key" ON "alarm" USING btree ("rule_id","owner_kind",coalesce("component_id", "system_id", "location_id", "node_id", "endpoint_id"),"instance") WHERE "alarm"."lifecycle" = 'open';--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_suppression_check" CHECK ("alarm"."suppressed" = ("alarm"."suppression" is not null));--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_owner_check" CHECK (("alarm"."owner_kind" = 'component' and "alarm"."component_id" is not null and num_nonnulls("alarm"."system_id", "alarm"."location_id", "alarm"."node_id", "alarm"."endpoint_id") = 0)
        or ("alarm"."owner_kind" = 'system' and "alarm"."system_id" is not null and num_nonnulls("alarm"."component_id", "alarm"."location_id", "alarm"."node_id", "alarm"."endpoint_id") = 0)
        or ("alarm"."owner_kind" = 'location' and "alarm"."location_id" is not null and num_nonnulls("alarm"."component_id", "alarm"."system_id", "alarm"."node_id", "alarm"."endpoint_id") = 0)
        or ("alarm"."owner_kind" = 'node' and "alarm"."node_id" is not null and num_nonnulls("alarm"."component_id", "alarm"."system_id", "alarm"."location_id", "alarm"."endpoint_id") = 0)
        or ("alarm"."owner_kind" = 'endpoint' and "alarm"."endpoint_id" is not null and num_nonnulls("alarm"."component_id", "alarm"."system_id", "alarm"."location_id", "alarm"."node_id") = 0));--> statement-breakpoint
CREATE OR REPLACE FUNCTION "alarm_event_outbox"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Every alarm timeline event leaves through the outbox in its own transaction (no dual write).
  -- AFTER ROW: the alarm row written by the same statement (a CTE) or transaction is visible.
  -- 0013: an endpoint-owned alarm's path is the endpoint's name.
  INSERT INTO "outbox" ("alarm_id", "alarm_seq", "kind", "payload")
  SELECT NEW."alarm_id", NEW."seq", NEW."kind", jsonb_build_object(
    'alarm', to_jsonb(a),
    'event', jsonb_build_object('seq', NEW."seq", 'kind', NEW."kind", 'at', NEW."at",
      'by', NEW."by", 'value', NEW."value", 'sampleAt', NEW."sample_at", 'comment', NEW."comment"),
    'rule', jsonb_build_object('name', r."name", 'origin', r."origin"),
    'path', coalesce(c."path", s."path", l."path", p."name", we."name", ''),
    'ackName', ap."name")
  FROM "alarm" a
  JOIN "event_rule" r ON r."id" = a."rule_id"
  LEFT JOIN "component" c ON c."id" = a."component_id"
  LEFT JOIN "system" s ON s."id" = a."system_id"
  LEFT JOIN "location" l ON l."id" = a."location_id"
  LEFT JOIN "principal" p ON p."id" = a."node_id"
  LEFT JOIN "webhook_endpoint" we ON we."id" = a."endpoint_id"
  LEFT JOIN "principal" ap ON ap."id" = a."acknowledged_by"
  WHERE a."id" = NEW."alarm_id";
  RETURN NULL;
END;
$$;
