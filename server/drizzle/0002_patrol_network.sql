CREATE TABLE "alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"state" text DEFAULT 'new' NOT NULL,
	"ranger_id" uuid,
	"device_id" uuid,
	"org_unit_id" integer NOT NULL,
	"county_code" text,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"fix_time" timestamp with time zone,
	"lon" double precision,
	"lat" double precision,
	"details" jsonb,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" text,
	"note" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_bindings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"device_id" uuid NOT NULL,
	"ranger_id" uuid NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"unique_id" text NOT NULL,
	"name" text NOT NULL,
	"org_unit_id" integer NOT NULL,
	"key_hash" text,
	"model" text,
	"phone" text,
	"status" text DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "field_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"ranger_id" uuid,
	"org_unit_id" integer NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"reported_at" timestamp with time zone NOT NULL,
	"note" text,
	"photo_file_id" uuid,
	"status" text DEFAULT 'new' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "checkin_points" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"org_unit_id" integer NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"radius_m" real DEFAULT 100 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "checkins" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ranger_id" uuid NOT NULL,
	"patrol_id" uuid,
	"point_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"distance_m" real NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patrol_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"patrols_per_week" smallint NOT NULL,
	"min_hours_per_patrol" real DEFAULT 2 NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patrols" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ranger_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"opened_by" text NOT NULL,
	"track" geometry(LineString,4326),
	"distance_m" real,
	"duration_s" integer,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "device_states" (
	"device_id" uuid PRIMARY KEY NOT NULL,
	"ranger_id" uuid,
	"fix_time" timestamp with time zone NOT NULL,
	"server_time" timestamp with time zone NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"speed" real,
	"course" real,
	"battery" real,
	"county_code" text,
	"grid_id" integer,
	"in_assigned_area" boolean,
	"anchor_lon" double precision NOT NULL,
	"anchor_lat" double precision NOT NULL,
	"moved_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "positions" (
	"device_id" uuid NOT NULL,
	"fix_time" timestamp with time zone NOT NULL,
	"server_time" timestamp with time zone DEFAULT now() NOT NULL,
	"ranger_id" uuid,
	"county_code" text,
	"township_id" integer,
	"grid_id" integer,
	"in_assigned_area" boolean,
	"outside_territory" boolean DEFAULT false NOT NULL,
	"lon" double precision NOT NULL,
	"lat" double precision NOT NULL,
	"accuracy" real,
	"altitude" real,
	"speed" real,
	"course" real,
	"battery" real,
	"valid" boolean DEFAULT true NOT NULL,
	"alarm" text,
	"attributes" jsonb,
	CONSTRAINT "positions_device_id_fix_time_pk" PRIMARY KEY("device_id","fix_time")
);
--> statement-breakpoint
CREATE TABLE "rangers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"org_unit_id" integer NOT NULL,
	"commanding_unit_id" integer,
	"user_id" uuid,
	"phone" text,
	"status" text DEFAULT 'active' NOT NULL,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_bindings" ADD CONSTRAINT "device_bindings_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_bindings" ADD CONSTRAINT "device_bindings_ranger_id_rangers_id_fk" FOREIGN KEY ("ranger_id") REFERENCES "public"."rangers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_reports" ADD CONSTRAINT "field_reports_ranger_id_rangers_id_fk" FOREIGN KEY ("ranger_id") REFERENCES "public"."rangers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_reports" ADD CONSTRAINT "field_reports_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_reports" ADD CONSTRAINT "field_reports_photo_file_id_files_id_fk" FOREIGN KEY ("photo_file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_points" ADD CONSTRAINT "checkin_points_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_ranger_id_rangers_id_fk" FOREIGN KEY ("ranger_id") REFERENCES "public"."rangers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_patrol_id_patrols_id_fk" FOREIGN KEY ("patrol_id") REFERENCES "public"."patrols"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkins" ADD CONSTRAINT "checkins_point_id_checkin_points_id_fk" FOREIGN KEY ("point_id") REFERENCES "public"."checkin_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrol_plans" ADD CONSTRAINT "patrol_plans_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_ranger_id_rangers_id_fk" FOREIGN KEY ("ranger_id") REFERENCES "public"."rangers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patrols" ADD CONSTRAINT "patrols_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rangers" ADD CONSTRAINT "rangers_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rangers" ADD CONSTRAINT "rangers_commanding_unit_id_org_units_id_fk" FOREIGN KEY ("commanding_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rangers" ADD CONSTRAINT "rangers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "files" ADD CONSTRAINT "files_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_one_open_idx" ON "alerts" USING btree ("ranger_id","kind") WHERE state <> 'resolved';--> statement-breakpoint
CREATE INDEX "alerts_org_unit_idx" ON "alerts" USING btree ("org_unit_id","raised_at");--> statement-breakpoint
CREATE INDEX "alerts_state_idx" ON "alerts" USING btree ("state","raised_at");--> statement-breakpoint
CREATE INDEX "device_bindings_device_idx" ON "device_bindings" USING btree ("device_id","valid_from");--> statement-breakpoint
CREATE INDEX "device_bindings_ranger_idx" ON "device_bindings" USING btree ("ranger_id","valid_from");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_unique_id_idx" ON "devices" USING btree ("unique_id");--> statement-breakpoint
CREATE INDEX "devices_org_unit_idx" ON "devices" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "field_reports_org_unit_idx" ON "field_reports" USING btree ("org_unit_id","reported_at");--> statement-breakpoint
CREATE INDEX "field_reports_ranger_idx" ON "field_reports" USING btree ("ranger_id","reported_at");--> statement-breakpoint
CREATE INDEX "checkin_points_org_unit_idx" ON "checkin_points" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "checkins_ranger_idx" ON "checkins" USING btree ("ranger_id","at");--> statement-breakpoint
CREATE INDEX "patrol_plans_org_unit_idx" ON "patrol_plans" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "patrols_ranger_idx" ON "patrols" USING btree ("ranger_id","started_at");--> statement-breakpoint
CREATE INDEX "patrols_org_unit_idx" ON "patrols" USING btree ("org_unit_id","started_at");--> statement-breakpoint
CREATE INDEX "positions_ranger_time_idx" ON "positions" USING btree ("ranger_id","fix_time");--> statement-breakpoint
CREATE INDEX "positions_county_time_idx" ON "positions" USING btree ("county_code","fix_time");--> statement-breakpoint
CREATE INDEX "rangers_org_unit_idx" ON "rangers" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "rangers_user_idx" ON "rangers" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "files_org_unit_idx" ON "files" USING btree ("org_unit_id");