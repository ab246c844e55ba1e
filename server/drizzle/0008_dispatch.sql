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
ALTER TABLE "incident_assignments" ADD CONSTRAINT "incident_assignments_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_assignments" ADD CONSTRAINT "incident_assignments_ranger_user_id_users_id_fk" FOREIGN KEY ("ranger_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incident_assignments" ADD CONSTRAINT "incident_assignments_assigned_by_users_id_fk" FOREIGN KEY ("assigned_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incident_assignments_incident_idx" ON "incident_assignments" USING btree ("incident_id");--> statement-breakpoint
CREATE INDEX "incident_assignments_ranger_open_idx" ON "incident_assignments" USING btree ("ranger_user_id") WHERE status IN ('assigned', 'accepted', 'en_route', 'on_scene');--> statement-breakpoint
CREATE UNIQUE INDEX "incident_assignments_one_open_idx" ON "incident_assignments" USING btree ("incident_id","unit_kind","unit_id") WHERE status IN ('assigned', 'accepted', 'en_route', 'on_scene');--> statement-breakpoint
CREATE INDEX "device_states_point_gist" ON "device_states" USING gist ((ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography));--> statement-breakpoint
CREATE INDEX "sites_location_geog_gist" ON "sites" USING gist (("location"::geography));