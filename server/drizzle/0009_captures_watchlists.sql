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
ALTER TABLE "watchlist_entries" ADD CONSTRAINT "watchlist_entries_watchlist_id_watchlists_id_fk" FOREIGN KEY ("watchlist_id") REFERENCES "public"."watchlists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_hits" ADD CONSTRAINT "watchlist_hits_watchlist_id_watchlists_id_fk" FOREIGN KEY ("watchlist_id") REFERENCES "public"."watchlists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_hits" ADD CONSTRAINT "watchlist_hits_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_shares" ADD CONSTRAINT "watchlist_shares_watchlist_id_watchlists_id_fk" FOREIGN KEY ("watchlist_id") REFERENCES "public"."watchlists"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_shares" ADD CONSTRAINT "watchlist_shares_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlists" ADD CONSTRAINT "watchlists_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "captures_passage_idx" ON "captures" USING btree ("checkpoint_id","captured_at","plate");--> statement-breakpoint
CREATE INDEX "captures_plate_idx" ON "captures" USING btree ("plate" text_pattern_ops,"captured_at");--> statement-breakpoint
CREATE INDEX "captures_org_unit_idx" ON "captures" USING btree ("org_unit_id","captured_at");--> statement-breakpoint
CREATE INDEX "captures_captured_at_idx" ON "captures" USING btree ("captured_at");--> statement-breakpoint
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
