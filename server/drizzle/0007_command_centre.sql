CREATE TABLE "cap_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"identifier" text NOT NULL,
	"incident_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"msg_type" text NOT NULL,
	"sent" timestamp with time zone NOT NULL,
	"references" text,
	"headline" text NOT NULL,
	"instruction" text NOT NULL,
	"severity" text NOT NULL,
	"xml" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cap_messages_identifier_unique" UNIQUE("identifier")
);
--> statement-breakpoint
CREATE TABLE "incident_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"incident_id" uuid NOT NULL,
	"unit_kind" text NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_name" text NOT NULL,
	"unit_org_unit_id" integer NOT NULL,
	"ranger_user_id" uuid,
	"status" text DEFAULT 'assigned' NOT NULL,
	"distance_m" real,
	"note" text,
	"assigned_by" uuid,
	"assigned_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"en_route_at" timestamp with time zone,
	"on_scene_at" timestamp with time zone,
	"done_at" timestamp with time zone,
	"declined_at" timestamp with time zone,
	"decline_reason" text,
	"arrival_source" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
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
CREATE TABLE "notification_deliveries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"target" text NOT NULL,
	"webhook_id" uuid,
	"event" text NOT NULL,
	"payload" jsonb NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"ref" text,
	"org_unit_id" integer,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"max_attempts" smallint NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_at" timestamp with time zone,
	"last_error" text,
	"response_code" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhooks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"events" text[] NOT NULL,
	"secret_encrypted" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "emergency_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"level" smallint NOT NULL,
	"description" text,
	"notify" jsonb NOT NULL,
	"steps" jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "plan_activations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"plan_id" uuid NOT NULL,
	"incident_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"plan_name" text NOT NULL,
	"level" smallint NOT NULL,
	"steps" jsonb NOT NULL,
	"deliveries" integer NOT NULL,
	"activated_by" text NOT NULL,
	"activated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tipoff_photos" (
	"tipoff_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	CONSTRAINT "tipoff_photos_tipoff_id_position_pk" PRIMARY KEY("tipoff_id","position")
);
--> statement-breakpoint
CREATE TABLE "tipoff_replies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tipoff_id" uuid NOT NULL,
	"text" text NOT NULL,
	"replied_by" uuid NOT NULL,
	"replied_by_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tipoffs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tracking_code_hash" text NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"place_text" text,
	"reporter_name" text,
	"reporter_phone" text,
	"org_unit_id" integer NOT NULL,
	"county_code" text,
	"incident_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tipoffs_tracking_code_hash_unique" UNIQUE("tracking_code_hash")
);
--> statement-breakpoint
ALTER TABLE "cap_messages" ADD CONSTRAINT "cap_messages_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cap_messages" ADD CONSTRAINT "cap_messages_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_assignments" ADD CONSTRAINT "incident_assignments_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_assignments" ADD CONSTRAINT "incident_assignments_ranger_user_id_users_id_fk" FOREIGN KEY ("ranger_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_assignments" ADD CONSTRAINT "incident_assignments_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspot_checks" ADD CONSTRAINT "hotspot_checks_hotspot_id_hotspots_id_fk" FOREIGN KEY ("hotspot_id") REFERENCES "public"."hotspots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspot_checks" ADD CONSTRAINT "hotspot_checks_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspot_checks" ADD CONSTRAINT "hotspot_checks_assignee_unit_id_org_units_id_fk" FOREIGN KEY ("assignee_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspot_clusters" ADD CONSTRAINT "hotspot_clusters_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_county_id_org_units_id_fk" FOREIGN KEY ("county_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_township_id_org_units_id_fk" FOREIGN KEY ("township_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_grid_id_org_units_id_fk" FOREIGN KEY ("grid_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hotspots" ADD CONSTRAINT "hotspots_cluster_id_hotspot_clusters_id_fk" FOREIGN KEY ("cluster_id") REFERENCES "public"."hotspot_clusters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_photos" ADD CONSTRAINT "incident_photos_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_photos" ADD CONSTRAINT "incident_photos_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_reports" ADD CONSTRAINT "incident_reports_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_timeline" ADD CONSTRAINT "incident_timeline_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_category_incident_categories_code_fk" FOREIGN KEY ("category") REFERENCES "public"."incident_categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incidents" ADD CONSTRAINT "incidents_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_webhook_id_webhooks_id_fk" FOREIGN KEY ("webhook_id") REFERENCES "public"."webhooks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_plans" ADD CONSTRAINT "emergency_plans_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "emergency_plans" ADD CONSTRAINT "emergency_plans_category_incident_categories_code_fk" FOREIGN KEY ("category") REFERENCES "public"."incident_categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_activations" ADD CONSTRAINT "plan_activations_plan_id_emergency_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."emergency_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_activations" ADD CONSTRAINT "plan_activations_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_activations" ADD CONSTRAINT "plan_activations_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tipoff_photos" ADD CONSTRAINT "tipoff_photos_tipoff_id_tipoffs_id_fk" FOREIGN KEY ("tipoff_id") REFERENCES "public"."tipoffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tipoff_photos" ADD CONSTRAINT "tipoff_photos_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tipoff_replies" ADD CONSTRAINT "tipoff_replies_tipoff_id_tipoffs_id_fk" FOREIGN KEY ("tipoff_id") REFERENCES "public"."tipoffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tipoffs" ADD CONSTRAINT "tipoffs_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tipoffs" ADD CONSTRAINT "tipoffs_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cap_messages_incident_idx" ON "cap_messages" USING btree ("incident_id","sent");--> statement-breakpoint
CREATE INDEX "incident_assignments_incident_idx" ON "incident_assignments" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incident_assignments_ranger_open_idx" ON "incident_assignments" USING btree ("ranger_user_id") WHERE status IN ('assigned', 'accepted', 'en_route', 'on_scene');--> statement-breakpoint
CREATE UNIQUE INDEX "incident_assignments_one_open_idx" ON "incident_assignments" USING btree ("incident_id","unit_kind","unit_id") WHERE status IN ('assigned', 'accepted', 'en_route', 'on_scene');--> statement-breakpoint
CREATE UNIQUE INDEX "hotspot_checks_hotspot_idx" ON "hotspot_checks" USING btree ("hotspot_id");--> statement-breakpoint
CREATE INDEX "hotspot_checks_org_unit_idx" ON "hotspot_checks" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "hotspot_clusters_last_idx" ON "hotspot_clusters" USING btree ("last_detected_at");--> statement-breakpoint
CREATE INDEX "hotspot_clusters_org_unit_idx" ON "hotspot_clusters" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "hotspot_feed_runs_fingerprint_idx" ON "hotspot_feed_runs" USING btree ("fingerprint");--> statement-breakpoint
CREATE UNIQUE INDEX "hotspots_once_idx" ON "hotspots" USING btree ("source","satellite","detected_at","lon_e4","lat_e4");--> statement-breakpoint
CREATE INDEX "hotspots_detected_idx" ON "hotspots" USING btree ("detected_at");--> statement-breakpoint
CREATE INDEX "hotspots_org_unit_idx" ON "hotspots" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "hotspots_cluster_idx" ON "hotspots" USING btree ("cluster_id");--> statement-breakpoint
CREATE INDEX "hotspots_location_gist" ON "hotspots" USING gist ("location");--> statement-breakpoint
CREATE INDEX "incident_reports_incident_idx" ON "incident_reports" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incident_reports_source_idx" ON "incident_reports" USING btree ("source","source_ref");--> statement-breakpoint
CREATE INDEX "incident_timeline_incident_idx" ON "incident_timeline" USING btree ("incident_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "incidents_code_idx" ON "incidents" USING btree ("code");--> statement-breakpoint
CREATE INDEX "incidents_org_unit_idx" ON "incidents" USING btree ("org_unit_id","reported_at");--> statement-breakpoint
CREATE INDEX "incidents_status_idx" ON "incidents" USING btree ("status","reported_at");--> statement-breakpoint
CREATE INDEX "incidents_open_category_idx" ON "incidents" USING btree ("category","reported_at") WHERE status IN ('new', 'dispatched', 'on_scene');--> statement-breakpoint
CREATE INDEX "incidents_location_gist" ON "incidents" USING gist ("location");--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" USING btree ("next_attempt_at") WHERE status IN ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "notification_deliveries_created_idx" ON "notification_deliveries" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_ref_idx" ON "notification_deliveries" USING btree ("ref");--> statement-breakpoint
CREATE INDEX "emergency_plans_org_unit_idx" ON "emergency_plans" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "emergency_plans_category_idx" ON "emergency_plans" USING btree ("category","level");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_activations_plan_incident_idx" ON "plan_activations" USING btree ("plan_id","incident_id");--> statement-breakpoint
CREATE INDEX "plan_activations_incident_idx" ON "plan_activations" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "tipoff_replies_tipoff_idx" ON "tipoff_replies" USING btree ("tipoff_id","created_at");--> statement-breakpoint
CREATE INDEX "tipoffs_org_unit_idx" ON "tipoffs" USING btree ("org_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "tipoffs_incident_idx" ON "tipoffs" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "device_states_point_gist" ON "device_states" USING gist ((ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography));--> statement-breakpoint
CREATE INDEX "sites_location_geog_gist" ON "sites" USING gist (("location"::geography));