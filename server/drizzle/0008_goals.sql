CREATE TABLE "goal_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"measure_code" text NOT NULL,
	"year" smallint NOT NULL,
	"value" double precision NOT NULL,
	"unit" text,
	"source" text NOT NULL,
	"source_date" date NOT NULL,
	"file_id" uuid,
	"note" text,
	"entered_by" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "goal_measures" (
	"code" text PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"title_en" text NOT NULL,
	"group_code" text NOT NULL,
	"method" text NOT NULL,
	"indicator_key" text,
	"unit" text,
	"expected_source" text,
	"target_op" text NOT NULL,
	"target_value" double precision,
	"description" text,
	"description_en" text,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "goal_entries" ADD CONSTRAINT "goal_entries_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_entries" ADD CONSTRAINT "goal_entries_measure_code_goal_measures_code_fk" FOREIGN KEY ("measure_code") REFERENCES "public"."goal_measures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_entries" ADD CONSTRAINT "goal_entries_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "goal_entries_unit_measure_year_idx" ON "goal_entries" USING btree ("org_unit_id","measure_code","year");--> statement-breakpoint
CREATE INDEX "goal_entries_measure_year_idx" ON "goal_entries" USING btree ("measure_code","year");