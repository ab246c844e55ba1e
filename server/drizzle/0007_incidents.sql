CREATE TABLE "incident_categories" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"default_priority" smallint DEFAULT 3 NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_code_counters" (
	"day" text PRIMARY KEY NOT NULL,
	"last" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_photos" (
	"incident_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "incident_photos_incident_id_file_id_pk" PRIMARY KEY("incident_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "incident_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"primary" boolean DEFAULT false NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"category" text NOT NULL,
	"priority" smallint,
	"title" text NOT NULL,
	"description" text,
	"location" geometry(Point,4326) NOT NULL,
	"place_text" text,
	"reporter_name" text,
	"reporter_phone" text,
	"reported_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "incident_timeline" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"incident_id" uuid NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"by" text NOT NULL,
	"kind" text NOT NULL,
	"text" text,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "incidents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"category" text NOT NULL,
	"priority" smallint NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"location" geometry(Point,4326) NOT NULL,
	"place_text" text,
	"source" text NOT NULL,
	"source_ref" text,
	"status" text DEFAULT 'new' NOT NULL,
	"merged_into" uuid,
	"org_unit_id" integer NOT NULL,
	"county_code" text,
	"township_id" integer,
	"grid_id" integer,
	"station_id" integer,
	"reporter_name" text,
	"reporter_phone" text,
	"reported_at" timestamp with time zone NOT NULL,
	"dispatched_at" timestamp with time zone,
	"first_on_scene_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incident_photos" ADD CONSTRAINT "incident_photos_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_photos" ADD CONSTRAINT "incident_photos_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_reports" ADD CONSTRAINT "incident_reports_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_timeline" ADD CONSTRAINT "incident_timeline_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_category_incident_categories_code_fk" FOREIGN KEY ("category") REFERENCES "public"."incident_categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_reports_incident_idx" ON "incident_reports" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incident_reports_source_idx" ON "incident_reports" USING btree ("source","source_ref");--> statement-breakpoint
CREATE INDEX "incident_timeline_incident_idx" ON "incident_timeline" USING btree ("incident_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_code_idx" ON "incidents" USING btree ("code");--> statement-breakpoint
CREATE INDEX "incidents_org_unit_idx" ON "incidents" USING btree ("org_unit_id","reported_at");--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status","reported_at");--> statement-breakpoint
CREATE INDEX "incidents_open_category_idx" ON "incidents" USING btree ("category","reported_at") WHERE status IN ('new', 'dispatched', 'on_scene');--> statement-breakpoint
CREATE INDEX "incidents_location_gist" ON "incidents" USING gist ("location");