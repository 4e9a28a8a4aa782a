CREATE TABLE "maintenance_window" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"description" text DEFAULT '' NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_location_id" uuid,
	"scope_system_id" uuid,
	"scope_component_id" uuid,
	"scope_template" text,
	"dtstart" text NOT NULL,
	"time_zone" text NOT NULL,
	"duration" text NOT NULL,
	"rrule" text,
	"first_start" timestamp with time zone NOT NULL,
	"last_end" timestamp with time zone,
	"enabled" boolean DEFAULT true NOT NULL,
	"author_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "maintenance_window_name_check" CHECK ("maintenance_window"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("maintenance_window"."name") <= 100),
	CONSTRAINT "maintenance_window_scope_check" CHECK (("maintenance_window"."scope_kind" = 'location' and "maintenance_window"."scope_location_id" is not null and num_nonnulls("maintenance_window"."scope_system_id", "maintenance_window"."scope_component_id", "maintenance_window"."scope_template") = 0)
        or ("maintenance_window"."scope_kind" = 'system' and "maintenance_window"."scope_system_id" is not null and num_nonnulls("maintenance_window"."scope_location_id", "maintenance_window"."scope_component_id", "maintenance_window"."scope_template") = 0)
        or ("maintenance_window"."scope_kind" = 'owner' and "maintenance_window"."scope_component_id" is not null and num_nonnulls("maintenance_window"."scope_location_id", "maintenance_window"."scope_system_id", "maintenance_window"."scope_template") = 0)
        or ("maintenance_window"."scope_kind" = 'template' and "maintenance_window"."scope_template" is not null and num_nonnulls("maintenance_window"."scope_location_id", "maintenance_window"."scope_system_id", "maintenance_window"."scope_component_id") = 0))
);
--> statement-breakpoint
CREATE TABLE "silence" (
	"id" uuid PRIMARY KEY NOT NULL,
	"matchers" jsonb NOT NULL,
	"owner_kind" text,
	"owner_location_id" uuid,
	"owner_system_id" uuid,
	"owner_component_id" uuid,
	"author_id" uuid,
	"author_name" text NOT NULL,
	"reason" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"expired_early_at" timestamp with time zone,
	"expired_early_by" uuid,
	"last_matched_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "silence_expiry_check" CHECK ("silence"."expires_at" > "silence"."starts_at"),
	CONSTRAINT "silence_owner_check" CHECK (("silence"."owner_kind" is null and num_nonnulls("silence"."owner_location_id", "silence"."owner_system_id", "silence"."owner_component_id") = 0)
        or ("silence"."owner_kind" = 'location' and "silence"."owner_location_id" is not null and num_nonnulls("silence"."owner_system_id", "silence"."owner_component_id") = 0)
        or ("silence"."owner_kind" = 'system' and "silence"."owner_system_id" is not null and num_nonnulls("silence"."owner_location_id", "silence"."owner_component_id") = 0)
        or ("silence"."owner_kind" = 'component' and "silence"."owner_component_id" is not null and num_nonnulls("silence"."owner_location_id", "silence"."owner_system_id") = 0))
);
--> statement-breakpoint
ALTER TABLE "maintenance_window" ADD CONSTRAINT "maintenance_window_scope_location_id_location_id_fk" FOREIGN KEY ("scope_location_id") REFERENCES "public"."location"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_window" ADD CONSTRAINT "maintenance_window_scope_system_id_system_id_fk" FOREIGN KEY ("scope_system_id") REFERENCES "public"."system"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_window" ADD CONSTRAINT "maintenance_window_scope_component_id_component_id_fk" FOREIGN KEY ("scope_component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "maintenance_window" ADD CONSTRAINT "maintenance_window_author_id_principal_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."principal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "silence" ADD CONSTRAINT "silence_owner_location_id_location_id_fk" FOREIGN KEY ("owner_location_id") REFERENCES "public"."location"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "silence" ADD CONSTRAINT "silence_owner_system_id_system_id_fk" FOREIGN KEY ("owner_system_id") REFERENCES "public"."system"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "silence" ADD CONSTRAINT "silence_owner_component_id_component_id_fk" FOREIGN KEY ("owner_component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "silence" ADD CONSTRAINT "silence_author_id_principal_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."principal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "silence" ADD CONSTRAINT "silence_expired_early_by_principal_id_fk" FOREIGN KEY ("expired_early_by") REFERENCES "public"."principal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "maintenance_window_name_key" ON "maintenance_window" USING btree ("name");--> statement-breakpoint
CREATE INDEX "maintenance_window_location_idx" ON "maintenance_window" USING btree ("scope_location_id");--> statement-breakpoint
CREATE INDEX "maintenance_window_system_idx" ON "maintenance_window" USING btree ("scope_system_id");--> statement-breakpoint
CREATE INDEX "maintenance_window_component_idx" ON "maintenance_window" USING btree ("scope_component_id");--> statement-breakpoint
CREATE INDEX "silence_expires_idx" ON "silence" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "silence_location_idx" ON "silence" USING btree ("owner_location_id");--> statement-breakpoint
CREATE INDEX "silence_system_idx" ON "silence" USING btree ("owner_system_id");--> statement-breakpoint
CREATE INDEX "silence_component_idx" ON "silence" USING btree ("owner_component_id");