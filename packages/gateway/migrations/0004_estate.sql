CREATE TABLE "system_role" (
	"id" uuid PRIMARY KEY NOT NULL,
	"system_id" uuid NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"accepts" text[] NOT NULL,
	"quorum" integer DEFAULT 1 NOT NULL,
	"impact" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "system_role_system_name_key" UNIQUE("system_id","name"),
	CONSTRAINT "system_role_name_check" CHECK ("system_role"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("system_role"."name") <= 100),
	CONSTRAINT "system_role_quorum_check" CHECK ("system_role"."quorum" >= 0),
	CONSTRAINT "system_role_impact_check" CHECK ("system_role"."impact" in ('outage', 'degraded', 'none'))
);
--> statement-breakpoint
CREATE TABLE "signal" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"lane" text NOT NULL,
	"label" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"unit" text,
	"precision" integer,
	"value_type" text NOT NULL,
	"schema" jsonb,
	"official" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "signal_name_check" CHECK ("signal"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("signal"."name") <= 100),
	CONSTRAINT "signal_lane_check" CHECK (("signal"."lane" = 'metric' and "signal"."value_type" = 'number' and "signal"."schema" is null)
        or ("signal"."lane" = 'property' and "signal"."value_type" <> 'number' and "signal"."precision" is null))
);
--> statement-breakpoint
CREATE TABLE "template" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"label" text NOT NULL,
	"kind" text NOT NULL,
	"vendor" text,
	"model" text,
	"description" text DEFAULT '' NOT NULL,
	"document" jsonb NOT NULL,
	"official" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "template_name_check" CHECK ("template"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("template"."name") <= 100),
	CONSTRAINT "template_version_check" CHECK ("template"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "template_signal" (
	"template_id" uuid NOT NULL,
	"signal_id" uuid NOT NULL,
	CONSTRAINT "template_signal_pkey" PRIMARY KEY("template_id","signal_id")
);
--> statement-breakpoint
CREATE TABLE "component" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"location_id" uuid NOT NULL,
	"path" text NOT NULL,
	"template_id" uuid NOT NULL,
	"vendor" text,
	"model" text,
	"serial" text,
	"mac" text,
	"address" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "component_location_name_key" UNIQUE("location_id","name"),
	CONSTRAINT "component_name_check" CHECK ("component"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("component"."name") <= 100),
	CONSTRAINT "component_mac_check" CHECK ("component"."mac" is null or "component"."mac" ~ '^[0-9a-f]{2}(:[0-9a-f]{2}){5}$')
);
--> statement-breakpoint
CREATE TABLE "component_interface" (
	"id" uuid PRIMARY KEY NOT NULL,
	"component_id" uuid NOT NULL,
	"name" text NOT NULL,
	"protocol" text NOT NULL,
	"node_id" uuid,
	"host" text,
	"port" integer,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "component_interface_component_name_key" UNIQUE("component_id","name"),
	CONSTRAINT "component_interface_port_check" CHECK ("component_interface"."port" is null or "component_interface"."port" between 1 and 65535)
);
--> statement-breakpoint
CREATE TABLE "system_member" (
	"system_id" uuid NOT NULL,
	"component_id" uuid NOT NULL,
	"is_primary" boolean DEFAULT false NOT NULL,
	"role_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_member_pkey" PRIMARY KEY("system_id","component_id")
);
--> statement-breakpoint
CREATE TABLE "node" (
	"id" uuid PRIMARY KEY NOT NULL,
	"location_id" uuid NOT NULL,
	"enrollment_hash" text,
	"enrollment_prefix" text,
	"enrollment_expires_at" timestamp with time zone,
	"enrolled_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "estate_binding" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"value" jsonb NOT NULL,
	"level" text NOT NULL,
	"location_id" uuid,
	"system_id" uuid,
	"component_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "estate_binding_key" UNIQUE NULLS NOT DISTINCT("kind","key","level","location_id","system_id","component_id"),
	CONSTRAINT "estate_binding_key_check" CHECK ("estate_binding"."key" ~ '^[a-z0-9][a-z0-9-]*$' and length("estate_binding"."key") <= 100),
	CONSTRAINT "estate_binding_level_check" CHECK (("estate_binding"."level" = 'platform' and "estate_binding"."location_id" is null and "estate_binding"."system_id" is null and "estate_binding"."component_id" is null)
        or ("estate_binding"."level" = 'location' and "estate_binding"."location_id" is not null and "estate_binding"."system_id" is null and "estate_binding"."component_id" is null)
        or ("estate_binding"."level" = 'system' and "estate_binding"."system_id" is not null and "estate_binding"."location_id" is null and "estate_binding"."component_id" is null)
        or ("estate_binding"."level" = 'component' and "estate_binding"."component_id" is not null and "estate_binding"."location_id" is null and "estate_binding"."system_id" is null))
);
--> statement-breakpoint
ALTER TABLE "role_grant" DROP CONSTRAINT "role_grant_scope_check";--> statement-breakpoint
ALTER TABLE "role_grant" ADD COLUMN "system_id" uuid;--> statement-breakpoint
ALTER TABLE "system" ADD COLUMN "path" text;--> statement-breakpoint
UPDATE "system" SET "path" = "location"."path" || '.' || "system"."name" FROM "location" WHERE "location"."id" = "system"."location_id";--> statement-breakpoint
ALTER TABLE "system" ALTER COLUMN "path" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "system_role" ADD CONSTRAINT "system_role_system_id_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."system"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template" ADD CONSTRAINT "template_created_by_principal_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."principal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_signal" ADD CONSTRAINT "template_signal_template_id_template_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."template"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "template_signal" ADD CONSTRAINT "template_signal_signal_id_signal_id_fk" FOREIGN KEY ("signal_id") REFERENCES "public"."signal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "component" ADD CONSTRAINT "component_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "component" ADD CONSTRAINT "component_template_id_template_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."template"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "component_interface" ADD CONSTRAINT "component_interface_component_id_component_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "component_interface" ADD CONSTRAINT "component_interface_node_id_node_id_fk" FOREIGN KEY ("node_id") REFERENCES "public"."node"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_member" ADD CONSTRAINT "system_member_system_id_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."system"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_member" ADD CONSTRAINT "system_member_component_id_component_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."component"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system_member" ADD CONSTRAINT "system_member_role_id_system_role_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."system_role"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node" ADD CONSTRAINT "node_id_principal_id_fk" FOREIGN KEY ("id") REFERENCES "public"."principal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "node" ADD CONSTRAINT "node_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estate_binding" ADD CONSTRAINT "estate_binding_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estate_binding" ADD CONSTRAINT "estate_binding_system_id_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."system"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "estate_binding" ADD CONSTRAINT "estate_binding_component_id_component_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "signal_name_key" ON "signal" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "template_name_version_key" ON "template" USING btree ("name","version");--> statement-breakpoint
CREATE INDEX "template_kind_idx" ON "template" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "template_signal_signal_idx" ON "template_signal" USING btree ("signal_id");--> statement-breakpoint
CREATE INDEX "component_location_idx" ON "component" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "component_template_idx" ON "component" USING btree ("template_id");--> statement-breakpoint
CREATE UNIQUE INDEX "component_path_key" ON "component" USING btree ("path");--> statement-breakpoint
CREATE INDEX "component_path_pattern_idx" ON "component" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "component_interface_node_idx" ON "component_interface" USING btree ("node_id");--> statement-breakpoint
CREATE INDEX "system_member_component_idx" ON "system_member" USING btree ("component_id");--> statement-breakpoint
CREATE UNIQUE INDEX "system_member_primary_key" ON "system_member" USING btree ("component_id") WHERE "system_member"."is_primary";--> statement-breakpoint
CREATE INDEX "node_location_idx" ON "node" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "estate_binding_location_idx" ON "estate_binding" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "estate_binding_system_idx" ON "estate_binding" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "estate_binding_component_idx" ON "estate_binding" USING btree ("component_id");--> statement-breakpoint
ALTER TABLE "role_grant" ADD CONSTRAINT "role_grant_system_id_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."system"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "role_grant_system_idx" ON "role_grant" USING btree ("system_id");--> statement-breakpoint
CREATE UNIQUE INDEX "system_path_key" ON "system" USING btree ("path");--> statement-breakpoint
CREATE INDEX "system_path_pattern_idx" ON "system" USING btree ("path" text_pattern_ops);--> statement-breakpoint
ALTER TABLE "role_grant" ADD CONSTRAINT "role_grant_scope_check" CHECK (("role_grant"."scope_kind" = 'all' and "role_grant"."location_id" is null and "role_grant"."system_id" is null)
        or ("role_grant"."scope_kind" = 'location' and "role_grant"."location_id" is not null and "role_grant"."system_id" is null)
        or ("role_grant"."scope_kind" = 'system' and "role_grant"."system_id" is not null and "role_grant"."location_id" is null));--> statement-breakpoint
CREATE FUNCTION "template_immutable"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'template % version % is published and immutable', OLD."name", OLD."version"
    USING ERRCODE = 'restrict_violation';
END;
$$;--> statement-breakpoint
CREATE TRIGGER "template_immutable" BEFORE UPDATE ON "template" FOR EACH ROW EXECUTE FUNCTION "template_immutable"();
