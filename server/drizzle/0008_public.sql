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
ALTER TABLE "tipoff_photos" ADD CONSTRAINT "tipoff_photos_tipoff_id_tipoffs_id_fk" FOREIGN KEY ("tipoff_id") REFERENCES "public"."tipoffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tipoff_photos" ADD CONSTRAINT "tipoff_photos_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tipoff_replies" ADD CONSTRAINT "tipoff_replies_tipoff_id_tipoffs_id_fk" FOREIGN KEY ("tipoff_id") REFERENCES "public"."tipoffs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tipoffs" ADD CONSTRAINT "tipoffs_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tipoffs" ADD CONSTRAINT "tipoffs_incident_id_incidents_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."incidents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cap_messages_incident_idx" ON "cap_messages" USING btree ("incident_id","sent");--> statement-breakpoint
CREATE INDEX "tipoff_replies_tipoff_idx" ON "tipoff_replies" USING btree ("tipoff_id","created_at");--> statement-breakpoint
CREATE INDEX "tipoffs_org_unit_idx" ON "tipoffs" USING btree ("org_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "tipoffs_incident_idx" ON "tipoffs" USING btree ("incident_id");