CREATE TABLE "health" (
	"owner_id" uuid PRIMARY KEY NOT NULL,
	"owner_kind" text NOT NULL,
	"component_id" uuid,
	"system_id" uuid,
	"location_id" uuid,
	"verdict" text NOT NULL,
	"since" timestamp with time zone NOT NULL,
	"causes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"leaves" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"explanation" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "health_owner_check" CHECK (("health"."owner_kind" = 'component' and "health"."component_id" is not null and num_nonnulls("health"."system_id", "health"."location_id") = 0)
    or ("health"."owner_kind" = 'system' and "health"."system_id" is not null and num_nonnulls("health"."component_id", "health"."location_id") = 0)
    or ("health"."owner_kind" = 'location' and "health"."location_id" is not null and num_nonnulls("health"."component_id", "health"."system_id") = 0)),
	CONSTRAINT "health_owner_id_check" CHECK ("health"."owner_id" = coalesce("health"."component_id", "health"."system_id", "health"."location_id"))
);
--> statement-breakpoint
CREATE TABLE "health_transition" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "health_transition_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"owner_id" uuid NOT NULL,
	"owner_kind" text NOT NULL,
	"component_id" uuid,
	"system_id" uuid,
	"location_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"verdict" text NOT NULL,
	"previous" text,
	"explanation" text NOT NULL,
	CONSTRAINT "health_transition_owner_check" CHECK (("health_transition"."owner_kind" = 'component' and "health_transition"."component_id" is not null and num_nonnulls("health_transition"."system_id", "health_transition"."location_id") = 0)
    or ("health_transition"."owner_kind" = 'system' and "health_transition"."system_id" is not null and num_nonnulls("health_transition"."component_id", "health_transition"."location_id") = 0)
    or ("health_transition"."owner_kind" = 'location' and "health_transition"."location_id" is not null and num_nonnulls("health_transition"."component_id", "health_transition"."system_id") = 0))
);
--> statement-breakpoint
ALTER TABLE "health" ADD CONSTRAINT "health_component_id_component_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health" ADD CONSTRAINT "health_system_id_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."system"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health" ADD CONSTRAINT "health_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_transition" ADD CONSTRAINT "health_transition_component_id_component_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_transition" ADD CONSTRAINT "health_transition_system_id_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."system"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "health_transition" ADD CONSTRAINT "health_transition_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "health_component_key" ON "health" USING btree ("component_id");--> statement-breakpoint
CREATE UNIQUE INDEX "health_system_key" ON "health" USING btree ("system_id");--> statement-breakpoint
CREATE UNIQUE INDEX "health_location_key" ON "health" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "health_transition_owner_at_idx" ON "health_transition" USING btree ("owner_id","at");--> statement-breakpoint
CREATE INDEX "health_transition_component_idx" ON "health_transition" USING btree ("component_id");--> statement-breakpoint
CREATE INDEX "health_transition_system_idx" ON "health_transition" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "health_transition_location_idx" ON "health_transition" USING btree ("location_id");