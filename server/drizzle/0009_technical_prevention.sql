CREATE TABLE "camera_alarms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"camera_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"type" text NOT NULL,
	"event_type" text,
	"at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"repeats" integer DEFAULT 1 NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"protocol" text NOT NULL,
	"snapshot_file_id" uuid,
	"description" text,
	"details" jsonb,
	"incident_id" uuid,
	"alert_id" uuid
);
--> statement-breakpoint
CREATE TABLE "camera_online_days" (
	"camera_id" uuid NOT NULL,
	"day" date NOT NULL,
	"heartbeats" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "camera_online_days_camera_id_day_pk" PRIMARY KEY("camera_id","day")
);
--> statement-breakpoint
CREATE TABLE "cameras" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"site_id" uuid,
	"org_unit_id" integer NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"category" text NOT NULL,
	"owner" text,
	"type" text NOT NULL,
	"gb_id" text NOT NULL,
	"hls_url" text,
	"flv_url" text,
	"webrtc_url" text,
	"rtsp_url" text,
	"status" text DEFAULT 'unknown' NOT NULL,
	"last_seen_at" timestamp with time zone,
	"status_changed_at" timestamp with time zone,
	"key_hash" text,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone,
	"deleted_reason" text
);
--> statement-breakpoint
CREATE TABLE "captures" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"checkpoint_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"county_code" text,
	"plate" text NOT NULL,
	"plate_color" text NOT NULL,
	"vehicle_type" text,
	"direction" text NOT NULL,
	"lane" smallint,
	"speed" real,
	"captured_at" timestamp with time zone NOT NULL,
	"snapshot_key" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "captures_id_captured_at_pk" PRIMARY KEY("id","captured_at")
) PARTITION BY RANGE ("captured_at");
--> statement-breakpoint
CREATE TABLE "circle_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ring_unit_id" integer NOT NULL,
	"site_id" uuid NOT NULL,
	"added_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mobile_deployments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"location" geometry(Point,4326) NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"note" text,
	"recorded_by" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mobile_deployments_period" CHECK ("mobile_deployments"."ends_at" > "mobile_deployments"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "station_check_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year" smallint NOT NULL,
	"dimension" text NOT NULL,
	"code" text NOT NULL,
	"title" text NOT NULL,
	"guidance" text,
	"evidence" text,
	"key" boolean DEFAULT false NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "station_checklists" (
	"year" smallint PRIMARY KEY NOT NULL,
	"sample" boolean DEFAULT false NOT NULL,
	"standard_rate" smallint DEFAULT 80 NOT NULL,
	"model_rate" smallint DEFAULT 100 NOT NULL,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "station_rating_items" (
	"rating_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"self_result" text,
	"self_note" text,
	"evidence_file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"review_result" text,
	"review_comment" text,
	CONSTRAINT "station_rating_items_rating_id_item_id_pk" PRIMARY KEY("rating_id","item_id")
);
--> statement-breakpoint
CREATE TABLE "station_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"site_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"year" smallint NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"computed_level" text,
	"level" text,
	"level_comment" text,
	"review_comment" text,
	"submitted_at" timestamp with time zone,
	"submitted_by" text,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" text,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" text,
	"demo" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "watchlist_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"watchlist_id" uuid NOT NULL,
	"plate" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "watchlist_hits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"watchlist_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"entry_plate" text NOT NULL,
	"capture_id" uuid NOT NULL,
	"plate" text NOT NULL,
	"plate_color" text NOT NULL,
	"checkpoint_id" uuid NOT NULL,
	"checkpoint_name" text NOT NULL,
	"org_unit_id" integer NOT NULL,
	"captured_at" timestamp with time zone NOT NULL,
	"alert_id" uuid,
	"incident_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "watchlist_shares" (
	"watchlist_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	CONSTRAINT "watchlist_shares_watchlist_id_org_unit_id_pk" PRIMARY KEY("watchlist_id","org_unit_id")
);
--> statement-breakpoint
CREATE TABLE "watchlists" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"reason" text NOT NULL,
	"org_unit_id" integer NOT NULL,
	"owner_id" uuid NOT NULL,
	"owner_username" text NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "watchlists_state_check" CHECK ("watchlists"."state" IN ('pending', 'approved', 'rejected', 'revoked')),
	CONSTRAINT "watchlists_period_check" CHECK ("watchlists"."valid_from" < "watchlists"."valid_to")
);
--> statement-breakpoint
ALTER TABLE "camera_alarms" ADD CONSTRAINT "camera_alarms_camera_id_cameras_id_fk" FOREIGN KEY ("camera_id") REFERENCES "public"."cameras"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "camera_alarms" ADD CONSTRAINT "camera_alarms_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "camera_online_days" ADD CONSTRAINT "camera_online_days_camera_id_cameras_id_fk" FOREIGN KEY ("camera_id") REFERENCES "public"."cameras"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cameras" ADD CONSTRAINT "cameras_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cameras" ADD CONSTRAINT "cameras_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circle_members" ADD CONSTRAINT "circle_members_ring_unit_id_org_units_id_fk" FOREIGN KEY ("ring_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circle_members" ADD CONSTRAINT "circle_members_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobile_deployments" ADD CONSTRAINT "mobile_deployments_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobile_deployments" ADD CONSTRAINT "mobile_deployments_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_check_items" ADD CONSTRAINT "station_check_items_year_station_checklists_year_fk" FOREIGN KEY ("year") REFERENCES "public"."station_checklists"("year") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_rating_items" ADD CONSTRAINT "station_rating_items_rating_id_station_ratings_id_fk" FOREIGN KEY ("rating_id") REFERENCES "public"."station_ratings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_rating_items" ADD CONSTRAINT "station_rating_items_item_id_station_check_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."station_check_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_ratings" ADD CONSTRAINT "station_ratings_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_ratings" ADD CONSTRAINT "station_ratings_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_ratings" ADD CONSTRAINT "station_ratings_year_station_checklists_year_fk" FOREIGN KEY ("year") REFERENCES "public"."station_checklists"("year") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_entries" ADD CONSTRAINT "watchlist_entries_watchlist_id_watchlists_id_fk" FOREIGN KEY ("watchlist_id") REFERENCES "public"."watchlists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_hits" ADD CONSTRAINT "watchlist_hits_watchlist_id_watchlists_id_fk" FOREIGN KEY ("watchlist_id") REFERENCES "public"."watchlists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_hits" ADD CONSTRAINT "watchlist_hits_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_shares" ADD CONSTRAINT "watchlist_shares_watchlist_id_watchlists_id_fk" FOREIGN KEY ("watchlist_id") REFERENCES "public"."watchlists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_shares" ADD CONSTRAINT "watchlist_shares_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlists" ADD CONSTRAINT "watchlists_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "camera_alarms_camera_type_idx" ON "camera_alarms" USING btree ("camera_id","type","at");--> statement-breakpoint
CREATE INDEX "camera_alarms_org_unit_idx" ON "camera_alarms" USING btree ("org_unit_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "cameras_gb_id_idx" ON "cameras" USING btree ("gb_id") WHERE deleted_at IS NULL;--> statement-breakpoint
CREATE INDEX "cameras_org_unit_idx" ON "cameras" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "cameras_location_gist" ON "cameras" USING gist ("location");--> statement-breakpoint
CREATE UNIQUE INDEX "captures_passage_idx" ON "captures" USING btree ("checkpoint_id","captured_at","plate");--> statement-breakpoint
CREATE INDEX "captures_plate_idx" ON "captures" USING btree ("plate" text_pattern_ops,"captured_at");--> statement-breakpoint
CREATE INDEX "captures_org_unit_idx" ON "captures" USING btree ("org_unit_id","captured_at");--> statement-breakpoint
CREATE INDEX "captures_captured_at_idx" ON "captures" USING btree ("captured_at");--> statement-breakpoint
CREATE UNIQUE INDEX "circle_members_ring_site_idx" ON "circle_members" USING btree ("ring_unit_id","site_id");--> statement-breakpoint
CREATE INDEX "circle_members_site_idx" ON "circle_members" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "mobile_deployments_site_idx" ON "mobile_deployments" USING btree ("site_id","starts_at");--> statement-breakpoint
CREATE INDEX "mobile_deployments_org_unit_idx" ON "mobile_deployments" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "mobile_deployments_ends_idx" ON "mobile_deployments" USING btree ("ends_at");--> statement-breakpoint
CREATE UNIQUE INDEX "station_check_items_year_code_idx" ON "station_check_items" USING btree ("year","code");--> statement-breakpoint
CREATE UNIQUE INDEX "station_ratings_site_year_idx" ON "station_ratings" USING btree ("site_id","year");--> statement-breakpoint
CREATE INDEX "station_ratings_unit_idx" ON "station_ratings" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "watchlist_entries_watchlist_idx" ON "watchlist_entries" USING btree ("watchlist_id");--> statement-breakpoint
CREATE INDEX "watchlist_hits_watchlist_idx" ON "watchlist_hits" USING btree ("watchlist_id","captured_at");--> statement-breakpoint
CREATE INDEX "watchlist_hits_org_unit_idx" ON "watchlist_hits" USING btree ("org_unit_id","captured_at");--> statement-breakpoint
CREATE INDEX "watchlist_shares_org_unit_idx" ON "watchlist_shares" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "watchlists_org_unit_idx" ON "watchlists" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "watchlists_state_idx" ON "watchlists" USING btree ("state","valid_to");--> statement-breakpoint
-- Written by hand (drizzle-kit cannot write partitioned tables): captures are partitioned by month of
-- captured_at. The monthly partitions are created ahead at start and on demand (captures.partitions.ts);
-- the default partition takes any capture no monthly partition holds, so none is refused for lack of one.
CREATE TABLE "captures_default" PARTITION OF "captures" DEFAULT;
