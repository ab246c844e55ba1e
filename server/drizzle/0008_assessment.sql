CREATE TABLE "assessment_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"self_score" numeric,
	"review_score" numeric,
	"final_score" numeric,
	"vetoed" boolean DEFAULT false NOT NULL,
	"veto_hits" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"review_veto_codes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"grade" text,
	"inspections" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_by" text,
	"reviewed_at" timestamp with time zone,
	"reviewed_by" text,
	"finalized_at" timestamp with time zone,
	"finalized_by" text,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_recommendations" (
	"round_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"recommended_by" text NOT NULL,
	"recommended_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_recommendations_round_id_org_unit_id_pk" PRIMARY KEY("round_id","org_unit_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"year" smallint NOT NULL,
	"level" text NOT NULL,
	"standard_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"self_check_due" date,
	"review_due" date,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_scores" (
	"entry_id" uuid NOT NULL,
	"stage" text NOT NULL,
	"item_code" text NOT NULL,
	"points" numeric,
	"note" text,
	"reason" text,
	"evidence_file_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cases" jsonb,
	"computed" jsonb,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_scores_entry_id_stage_item_code_pk" PRIMARY KEY("entry_id","stage","item_code")
);
--> statement-breakpoint
CREATE TABLE "assessment_standards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"description" text,
	"sample" boolean DEFAULT false NOT NULL,
	"based_on_id" uuid,
	"items" jsonb NOT NULL,
	"veto_items" jsonb NOT NULL,
	"bonus_items" jsonb NOT NULL,
	"grades" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_titles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"level" text NOT NULL,
	"year" smallint NOT NULL,
	"document_number" text NOT NULL,
	"named_on" date NOT NULL,
	"named_by_unit_id" integer NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"rechecks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"revoked_on" date,
	"revoke_reason" text,
	"revoke_document_number" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment_entries" ADD CONSTRAINT "assessment_entries_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_entries" ADD CONSTRAINT "assessment_entries_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_recommendations" ADD CONSTRAINT "assessment_recommendations_round_id_assessment_rounds_id_fk" FOREIGN KEY ("round_id") REFERENCES "public"."assessment_rounds"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_recommendations" ADD CONSTRAINT "assessment_recommendations_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_rounds" ADD CONSTRAINT "assessment_rounds_standard_id_assessment_standards_id_fk" FOREIGN KEY ("standard_id") REFERENCES "public"."assessment_standards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_rounds" ADD CONSTRAINT "assessment_rounds_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_scores" ADD CONSTRAINT "assessment_scores_entry_id_assessment_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."assessment_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_titles" ADD CONSTRAINT "assessment_titles_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_titles" ADD CONSTRAINT "assessment_titles_named_by_unit_id_org_units_id_fk" FOREIGN KEY ("named_by_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_entries_round_unit_idx" ON "assessment_entries" USING btree ("round_id","org_unit_id");--> statement-breakpoint
CREATE INDEX "assessment_entries_unit_idx" ON "assessment_entries" USING btree ("org_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_rounds_unit_year_level_idx" ON "assessment_rounds" USING btree ("org_unit_id","year","level");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_standards_name_version_idx" ON "assessment_standards" USING btree ("name","version");--> statement-breakpoint
CREATE INDEX "assessment_titles_unit_idx" ON "assessment_titles" USING btree ("org_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_titles_unit_level_year_idx" ON "assessment_titles" USING btree ("org_unit_id","level","year");