CREATE TABLE "hotspot_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"hotspot_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"assignee_user_id" uuid,
	"assignee_unit_id" integer,
	"deadline" timestamp with time zone,
	"assigned_at" timestamp with time zone NOT NULL,
	"assigned_by" text NOT NULL,
	"result" text,
	"checked_at" timestamp with time zone,
	"checked_by" text,
	"note" text,
	"fire_out" boolean,
	"photo_file_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"feedback_at" timestamp with time zone,
	"delay_from_detection_s" integer,
	"delay_from_assignment_s" integer,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hotspot_clusters" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"first_detected_at" timestamp with time zone NOT NULL,
	"last_detected_at" timestamp with time zone NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"county_code" text,
	"org_unit_id" integer,
	"hotspot_count" integer DEFAULT 0 NOT NULL,
	"incident_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hotspot_feed_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"fingerprint" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"imported" integer DEFAULT 0 NOT NULL,
	"duplicates" integer DEFAULT 0 NOT NULL,
	"outside" integer DEFAULT 0 NOT NULL,
	"incidents" integer DEFAULT 0 NOT NULL,
	"bad_rows" integer DEFAULT 0 NOT NULL,
	"error" text
);
--> statement-breakpoint
CREATE TABLE "hotspots" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"satellite" text NOT NULL,
	"satellite_code" text NOT NULL,
	"instrument" text,
	"detected_at" timestamp with time zone NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"lon_e4" integer NOT NULL,
	"lat_e4" integer NOT NULL,
	"confidence" text,
	"confidence_raw" text,
	"frp" real,
	"brightness" real,
	"brightness2" real,
	"scan" real,
	"track" real,
	"daynight" text,
	"data_version" text,
	"bulletin_number" text,
	"pixel_count" smallint,
	"smoke" boolean,
	"land_class" text,
	"place_text" text,
	"county_code" text,
	"county_id" integer,
	"township_id" integer,
	"grid_id" integer,
	"org_unit_id" integer,
	"cluster_id" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hotspots_source_check" CHECK ("hotspots"."source" IN ('firms', 'bulletin'))
);
--> statement-breakpoint
ALTER TABLE "hotspot_checks" ADD CONSTRAINT "hotspot_checks_hotspot_id_hotspots_id_fk" FOREIGN KEY ("hotspot_id") REFERENCES "public"."hotspots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspot_checks" ADD CONSTRAINT "hotspot_checks_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspot_checks" ADD CONSTRAINT "hotspot_checks_assignee_unit_id_org_units_id_fk" FOREIGN KEY ("assignee_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspot_clusters" ADD CONSTRAINT "hotspot_clusters_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_county_id_org_units_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_township_id_org_units_id_fk" FOREIGN KEY ("township_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_cluster_id_hotspot_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."hotspot_clusters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "hotspot_checks_hotspot_idx" ON "hotspot_checks" USING btree ("hotspot_id");--> statement-breakpoint
CREATE INDEX "hotspot_checks_org_unit_idx" ON "hotspot_checks" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "hotspot_clusters_last_idx" ON "hotspot_clusters" USING btree ("last_detected_at");--> statement-breakpoint
CREATE INDEX "hotspot_clusters_org_unit_idx" ON "hotspot_clusters" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "hotspot_feed_runs_fingerprint_idx" ON "hotspot_feed_runs" USING btree ("fingerprint");--> statement-breakpoint
CREATE UNIQUE INDEX "hotspots_once_idx" ON "hotspots" USING btree ("source","satellite","detected_at","lon_e4","lat_e4");--> statement-breakpoint
CREATE INDEX "hotspots_detected_idx" ON "hotspots" USING btree ("detected_at");--> statement-breakpoint
CREATE INDEX "hotspots_org_unit_idx" ON "hotspots" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "hotspots_cluster_idx" ON "hotspots" USING btree ("cluster_id");--> statement-breakpoint
CREATE INDEX "hotspots_location_gist" ON "hotspots" USING gist ("location");