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
ALTER TABLE "circle_members" ADD CONSTRAINT "circle_members_ring_unit_id_org_units_id_fk" FOREIGN KEY ("ring_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circle_members" ADD CONSTRAINT "circle_members_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobile_deployments" ADD CONSTRAINT "mobile_deployments_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mobile_deployments" ADD CONSTRAINT "mobile_deployments_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "circle_members_ring_site_idx" ON "circle_members" USING btree ("ring_unit_id","site_id");--> statement-breakpoint
CREATE INDEX "circle_members_site_idx" ON "circle_members" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "mobile_deployments_site_idx" ON "mobile_deployments" USING btree ("site_id","starts_at");--> statement-breakpoint
CREATE INDEX "mobile_deployments_org_unit_idx" ON "mobile_deployments" USING btree ("org_unit_id");--> statement-breakpoint
CREATE INDEX "mobile_deployments_ends_idx" ON "mobile_deployments" USING btree ("ends_at");