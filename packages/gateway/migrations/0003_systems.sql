CREATE TABLE "system" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"type_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "system_location_name_key" UNIQUE("location_id","name"),
	CONSTRAINT "system_name_check" CHECK ("system"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("system"."name") <= 100)
);
--> statement-breakpoint
CREATE TABLE "system_type" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"label" text NOT NULL,
	"official" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "system_type_name_check" CHECK ("system_type"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("system_type"."name") <= 100)
);
--> statement-breakpoint
ALTER TABLE "system" ADD CONSTRAINT "system_type_id_system_type_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."system_type"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "system" ADD CONSTRAINT "system_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "system_location_idx" ON "system" USING btree ("location_id");--> statement-breakpoint
CREATE UNIQUE INDEX "system_type_name_key" ON "system_type" USING btree ("name");