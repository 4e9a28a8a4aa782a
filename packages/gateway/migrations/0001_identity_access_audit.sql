CREATE TABLE "role" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"label" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"permissions" text[] NOT NULL,
	"official" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_grant" (
	"id" uuid PRIMARY KEY NOT NULL,
	"principal_id" uuid NOT NULL,
	"role_id" uuid NOT NULL,
	"scope_kind" text NOT NULL,
	"location_id" uuid,
	"scope_operator" text DEFAULT 'subtree' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"created_by" uuid,
	CONSTRAINT "role_grant_scope_check" CHECK (("role_grant"."scope_kind" = 'all') = ("role_grant"."location_id" is null)),
	CONSTRAINT "role_grant_operator_check" CHECK ("role_grant"."scope_operator" in ('subtree', 'descendants', 'self'))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" uuid PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	"real_actor_id" uuid,
	"verb" text NOT NULL,
	"resource" text NOT NULL,
	"resource_id" text,
	"before" jsonb,
	"after" jsonb,
	"request_id" text NOT NULL,
	"source" text NOT NULL,
	"ip" text,
	CONSTRAINT "audit_log_source_check" CHECK ("audit_log"."source" in ('console', 'rest', 'cli', 'worker'))
);
--> statement-breakpoint
CREATE TABLE "location" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_id" uuid,
	"type_id" uuid NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"path" text NOT NULL,
	"depth" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "location_parent_name_key" UNIQUE NULLS NOT DISTINCT("parent_id","name"),
	CONSTRAINT "location_name_check" CHECK ("location"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("location"."name") <= 100)
);
--> statement-breakpoint
CREATE TABLE "location_type" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"label" text NOT NULL,
	"official" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "location_type_name_check" CHECK ("location_type"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("location_type"."name") <= 100)
);
--> statement-breakpoint
CREATE TABLE "api_token" (
	"id" uuid PRIMARY KEY NOT NULL,
	"principal_id" uuid NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "principal" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"label" text,
	"email" text,
	"password_hash" text,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "principal_kind_check" CHECK ("principal"."kind" in ('human', 'service', 'node')),
	CONSTRAINT "principal_name_check" CHECK ("principal"."name" ~ '^[a-z0-9][a-z0-9-]*$' and length("principal"."name") <= 100),
	CONSTRAINT "principal_password_check" CHECK ("principal"."password_hash" is null or "principal"."kind" = 'human')
);
--> statement-breakpoint
CREATE TABLE "session" (
	"id" uuid PRIMARY KEY NOT NULL,
	"principal_id" uuid NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
ALTER TABLE "role_grant" ADD CONSTRAINT "role_grant_principal_id_principal_id_fk" FOREIGN KEY ("principal_id") REFERENCES "public"."principal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grant" ADD CONSTRAINT "role_grant_role_id_role_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."role"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grant" ADD CONSTRAINT "role_grant_location_id_location_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."location"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_grant" ADD CONSTRAINT "role_grant_created_by_principal_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."principal"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "location" ADD CONSTRAINT "location_parent_id_location_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."location"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "location" ADD CONSTRAINT "location_type_id_location_type_id_fk" FOREIGN KEY ("type_id") REFERENCES "public"."location_type"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_principal_id_principal_id_fk" FOREIGN KEY ("principal_id") REFERENCES "public"."principal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session" ADD CONSTRAINT "session_principal_id_principal_id_fk" FOREIGN KEY ("principal_id") REFERENCES "public"."principal"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "role_name_key" ON "role" USING btree ("name");--> statement-breakpoint
CREATE INDEX "role_grant_principal_idx" ON "role_grant" USING btree ("principal_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_id_idx" ON "audit_log" USING btree ("at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_log_resource_idx" ON "audit_log" USING btree ("resource","resource_id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "location_path_key" ON "location" USING btree ("path");--> statement-breakpoint
CREATE INDEX "location_parent_idx" ON "location" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "location_path_pattern_idx" ON "location" USING btree ("path" text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "location_type_name_key" ON "location_type" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "api_token_secret_hash_key" ON "api_token" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "api_token_principal_idx" ON "api_token" USING btree ("principal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "principal_name_key" ON "principal" USING btree ("name");--> statement-breakpoint
CREATE UNIQUE INDEX "session_secret_hash_key" ON "session" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "session_principal_idx" ON "session" USING btree ("principal_id");