CREATE TABLE "event_rule" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"description" text DEFAULT '' NOT NULL,
	"severity" text NOT NULL,
	"fire" text NOT NULL,
	"clear" text,
	"sustain_seconds" integer DEFAULT 0 NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_template_id" uuid,
	"scope_system_type_id" uuid,
	"scope_location_id" uuid,
	"scope_component_id" uuid,
	"owner_kind" text DEFAULT 'component' NOT NULL,
	"origin" text NOT NULL,
	"template_id" uuid,
	"enabled" boolean DEFAULT true NOT NULL,
	"flap_window_seconds" integer DEFAULT 600 NOT NULL,
	"flap_threshold" integer DEFAULT 4 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_rule_name_check" CHECK ("event_rule"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("event_rule"."name") <= 100),
	CONSTRAINT "event_rule_sustain_check" CHECK ("event_rule"."sustain_seconds" >= 0),
	CONSTRAINT "event_rule_flap_check" CHECK ("event_rule"."flap_window_seconds" > 0 and "event_rule"."flap_threshold" >= 2),
	CONSTRAINT "event_rule_origin_check" CHECK (("event_rule"."origin" = 'template') = ("event_rule"."template_id" is not null)),
	CONSTRAINT "event_rule_scope_check" CHECK (("event_rule"."scope_kind" = 'all' and num_nonnulls("event_rule"."scope_template_id", "event_rule"."scope_system_type_id", "event_rule"."scope_location_id", "event_rule"."scope_component_id") = 0)
        or ("event_rule"."scope_kind" = 'template' and "event_rule"."scope_template_id" is not null and num_nonnulls("event_rule"."scope_system_type_id", "event_rule"."scope_location_id", "event_rule"."scope_component_id") = 0)
        or ("event_rule"."scope_kind" = 'system-type' and "event_rule"."scope_system_type_id" is not null and num_nonnulls("event_rule"."scope_template_id", "event_rule"."scope_location_id", "event_rule"."scope_component_id") = 0)
        or ("event_rule"."scope_kind" = 'location' and "event_rule"."scope_location_id" is not null and num_nonnulls("event_rule"."scope_template_id", "event_rule"."scope_system_type_id", "event_rule"."scope_component_id") = 0)
        or ("event_rule"."scope_kind" = 'owner' and "event_rule"."scope_component_id" is not null and num_nonnulls("event_rule"."scope_template_id", "event_rule"."scope_system_type_id", "event_rule"."scope_location_id") = 0))
);
--> statement-breakpoint
CREATE TABLE "rule_episode" (
	"rule_id" uuid NOT NULL,
	"component_id" uuid NOT NULL,
	"instance" text DEFAULT '' NOT NULL,
	"phase" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rule_episode_pkey" PRIMARY KEY("rule_id","component_id","instance")
);
--> statement-breakpoint
CREATE TABLE "alarm" (
	"id" uuid PRIMARY KEY NOT NULL,
	"rule_id" uuid NOT NULL,
	"owner_kind" text NOT NULL,
	"component_id" uuid,
	"system_id" uuid,
	"location_id" uuid,
	"node_id" uuid,
	"instance" text DEFAULT '' NOT NULL,
	"severity" text NOT NULL,
	"summary" text NOT NULL,
	"lifecycle" text NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"resolved_at" timestamp with time zone,
	"resolved_by" uuid,
	"resolve_reason" text,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"ack_comment" text,
	"ack_expires_at" timestamp with time zone,
	"flapping" boolean DEFAULT false NOT NULL,
	"transitions" integer DEFAULT 1 NOT NULL,
	"fired_value" jsonb,
	"fired_sample_at" timestamp with time zone,
	"seq" integer DEFAULT 1 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "alarm_owner_check" CHECK (("alarm"."owner_kind" = 'component' and "alarm"."component_id" is not null and num_nonnulls("alarm"."system_id", "alarm"."location_id", "alarm"."node_id") = 0)
        or ("alarm"."owner_kind" = 'system' and "alarm"."system_id" is not null and num_nonnulls("alarm"."component_id", "alarm"."location_id", "alarm"."node_id") = 0)
        or ("alarm"."owner_kind" = 'location' and "alarm"."location_id" is not null and num_nonnulls("alarm"."component_id", "alarm"."system_id", "alarm"."node_id") = 0)
        or ("alarm"."owner_kind" = 'node' and "alarm"."node_id" is not null and num_nonnulls("alarm"."component_id", "alarm"."system_id", "alarm"."location_id") = 0)),
	CONSTRAINT "alarm_lifecycle_check" CHECK (("alarm"."lifecycle" = 'open') = ("alarm"."resolved_at" is null))
);
--> statement-breakpoint
CREATE TABLE "alarm_event" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "alarm_event_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"alarm_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by" uuid,
	"value" jsonb,
	"sample_at" timestamp with time zone,
	"comment" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_rule" ADD CONSTRAINT "event_rule_scope_template_id_template_id_fk" FOREIGN KEY ("scope_template_id") REFERENCES "public"."template"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_rule" ADD CONSTRAINT "event_rule_scope_system_type_id_system_type_id_fk" FOREIGN KEY ("scope_system_type_id") REFERENCES "public"."system_type"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_rule" ADD CONSTRAINT "event_rule_scope_location_id_location_id_fk" FOREIGN KEY ("scope_location_id") REFERENCES "public"."location"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_rule" ADD CONSTRAINT "event_rule_scope_component_id_component_id_fk" FOREIGN KEY ("scope_component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_rule" ADD CONSTRAINT "event_rule_template_id_template_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."template"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_episode" ADD CONSTRAINT "rule_episode_rule_id_event_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."event_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rule_episode" ADD CONSTRAINT "rule_episode_component_id_component_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_rule_id_event_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."event_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_component_id_component_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_system_id_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."system"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_node_id_node_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."node"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_resolved_by_principal_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."principal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm" ADD CONSTRAINT "alarm_acknowledged_by_principal_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."principal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm_event" ADD CONSTRAINT "alarm_event_alarm_id_alarm_id_fk" FOREIGN KEY ("alarm_id") REFERENCES "public"."alarm"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarm_event" ADD CONSTRAINT "alarm_event_by_principal_id_fk" FOREIGN KEY ("by") REFERENCES "public"."principal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "event_rule_custom_name_key" ON "event_rule" USING btree ("name") WHERE "event_rule"."template_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "event_rule_template_name_key" ON "event_rule" USING btree ("template_id","name") WHERE "event_rule"."template_id" is not null;--> statement-breakpoint
CREATE INDEX "event_rule_scope_template_idx" ON "event_rule" USING btree ("scope_template_id");--> statement-breakpoint
CREATE INDEX "event_rule_severity_idx" ON "event_rule" USING btree ("severity");--> statement-breakpoint
CREATE INDEX "rule_episode_due_idx" ON "rule_episode" USING btree ("due_at") WHERE "rule_episode"."phase" = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "alarm_one_open_key" ON "alarm" USING btree ("rule_id","owner_kind",coalesce("component_id", "system_id", "location_id", "node_id"),"instance") WHERE "alarm"."lifecycle" = 'open';--> statement-breakpoint
CREATE INDEX "alarm_component_idx" ON "alarm" USING btree ("component_id");--> statement-breakpoint
CREATE INDEX "alarm_system_idx" ON "alarm" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "alarm_location_idx" ON "alarm" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "alarm_node_idx" ON "alarm" USING btree ("node_id");--> statement-breakpoint
CREATE INDEX "alarm_rule_idx" ON "alarm" USING btree ("rule_id","opened_at");--> statement-breakpoint
CREATE INDEX "alarm_lifecycle_opened_idx" ON "alarm" USING btree ("lifecycle","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "alarm_event_alarm_seq_key" ON "alarm_event" USING btree ("alarm_id","seq");