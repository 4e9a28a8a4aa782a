CREATE TABLE "freshness_event" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "freshness_event_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"series_id" bigint NOT NULL,
	"state" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"value_ts" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sample" (
	"series_id" bigint NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"num" double precision,
	"value" jsonb,
	CONSTRAINT "sample_pkey" PRIMARY KEY("series_id","ts")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
CREATE TABLE "sample_rejection" (
	"source_id" uuid NOT NULL,
	"component_id" uuid,
	"signal" text NOT NULL,
	"reason" text NOT NULL,
	"count" bigint NOT NULL,
	"last_detail" text NOT NULL,
	"first_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sample_rejection_key" UNIQUE NULLS NOT DISTINCT("source_id","component_id","signal","reason")
);
--> statement-breakpoint
CREATE TABLE "series" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "series_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"owner_kind" text NOT NULL,
	"component_id" uuid,
	"system_id" uuid,
	"location_id" uuid,
	"signal_id" uuid NOT NULL,
	"instance" text DEFAULT '' NOT NULL,
	"value" jsonb,
	"ts" timestamp with time zone,
	"received_at" timestamp with time zone,
	"provenance" text,
	"source_id" uuid,
	"expected_interval_ms" integer,
	"stale_at" timestamp with time zone,
	"state" text,
	"state_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "series_owner_signal_instance_key" UNIQUE NULLS NOT DISTINCT("component_id","system_id","location_id","signal_id","instance"),
	CONSTRAINT "series_owner_check" CHECK (("series"."owner_kind" = 'component' and "series"."component_id" is not null and "series"."system_id" is null and "series"."location_id" is null)
        or ("series"."owner_kind" = 'system' and "series"."system_id" is not null and "series"."component_id" is null and "series"."location_id" is null)
        or ("series"."owner_kind" = 'location' and "series"."location_id" is not null and "series"."component_id" is null and "series"."system_id" is null)),
	CONSTRAINT "series_interval_check" CHECK ("series"."expected_interval_ms" is null or "series"."expected_interval_ms" > 0)
);
--> statement-breakpoint
ALTER TABLE "estate_binding" ALTER COLUMN "value" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "node" ADD COLUMN "heartbeat" jsonb;--> statement-breakpoint
ALTER TABLE "estate_binding" ADD COLUMN "secret" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "estate_binding" ADD COLUMN "ciphertext" text;--> statement-breakpoint
ALTER TABLE "freshness_event" ADD CONSTRAINT "freshness_event_series_id_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."series"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_rejection" ADD CONSTRAINT "sample_rejection_source_id_principal_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."principal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_rejection" ADD CONSTRAINT "sample_rejection_component_id_component_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_component_id_component_id_fk" FOREIGN KEY ("component_id") REFERENCES "public"."component"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_system_id_system_id_fk" FOREIGN KEY ("system_id") REFERENCES "public"."system"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_signal_id_signal_id_fk" FOREIGN KEY ("signal_id") REFERENCES "public"."signal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_source_id_principal_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."principal"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "freshness_event_series_at_idx" ON "freshness_event" USING btree ("series_id","at");--> statement-breakpoint
CREATE INDEX "sample_rejection_component_idx" ON "sample_rejection" USING btree ("component_id");--> statement-breakpoint
CREATE INDEX "series_component_idx" ON "series" USING btree ("component_id");--> statement-breakpoint
CREATE INDEX "series_system_idx" ON "series" USING btree ("system_id");--> statement-breakpoint
CREATE INDEX "series_location_idx" ON "series" USING btree ("location_id");--> statement-breakpoint
CREATE INDEX "series_stale_at_idx" ON "series" USING btree ("stale_at") WHERE "series"."state" = 'fresh' and "series"."stale_at" is not null;--> statement-breakpoint
ALTER TABLE "estate_binding" ADD CONSTRAINT "estate_binding_secret_check" CHECK (("estate_binding"."secret" and "estate_binding"."kind" = 'variable' and "estate_binding"."value" is null and "estate_binding"."ciphertext" is not null)
        or (not "estate_binding"."secret" and "estate_binding"."value" is not null and "estate_binding"."ciphertext" is null));