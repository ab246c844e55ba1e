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
CREATE TABLE "responsibility_checks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"result" text NOT NULL,
	"comments" text,
	"checked_by" text NOT NULL,
	"checked_by_name" text NOT NULL,
	"checker_org_unit_id" integer NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsibility_progress" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"percent" smallint NOT NULL,
	"text" text NOT NULL,
	"reported_by" text NOT NULL,
	"reported_by_name" text NOT NULL,
	"reported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsibility_progress_files" (
	"progress_id" uuid NOT NULL,
	"file_id" uuid NOT NULL,
	CONSTRAINT "responsibility_progress_files_progress_id_file_id_pk" PRIMARY KEY("progress_id","file_id")
);
--> statement-breakpoint
CREATE TABLE "responsibility_registers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_unit_id" integer NOT NULL,
	"year" smallint NOT NULL,
	"leader_name" text,
	"leader_post" text,
	"leader_phone" text,
	"in_charge_name" text,
	"in_charge_post" text,
	"in_charge_phone" text,
	"plan_title" text,
	"plan_date" date,
	"plan_file_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "responsibility_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"register_id" uuid NOT NULL,
	"org_unit_id" integer NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"owner_name" text,
	"owner_unit" text,
	"deadline" date NOT NULL,
	"measure_kind" text NOT NULL,
	"measure_ref" text,
	"measure_note" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "responsibility_years" (
	"year" smallint PRIMARY KEY NOT NULL,
	"plan_deadline" date NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
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
ALTER TABLE "goal_entries" ADD CONSTRAINT "goal_entries_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_entries" ADD CONSTRAINT "goal_entries_measure_code_goal_measures_code_fk" FOREIGN KEY ("measure_code") REFERENCES "public"."goal_measures"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "goal_entries" ADD CONSTRAINT "goal_entries_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_checks" ADD CONSTRAINT "responsibility_checks_task_id_responsibility_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."responsibility_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_checks" ADD CONSTRAINT "responsibility_checks_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_checks" ADD CONSTRAINT "responsibility_checks_checker_org_unit_id_org_units_id_fk" FOREIGN KEY ("checker_org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_progress" ADD CONSTRAINT "responsibility_progress_task_id_responsibility_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."responsibility_tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_progress" ADD CONSTRAINT "responsibility_progress_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_progress_files" ADD CONSTRAINT "responsibility_progress_files_progress_id_responsibility_progress_id_fk" FOREIGN KEY ("progress_id") REFERENCES "public"."responsibility_progress"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_progress_files" ADD CONSTRAINT "responsibility_progress_files_file_id_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_registers" ADD CONSTRAINT "responsibility_registers_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_registers" ADD CONSTRAINT "responsibility_registers_plan_file_id_files_id_fk" FOREIGN KEY ("plan_file_id") REFERENCES "public"."files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_tasks" ADD CONSTRAINT "responsibility_tasks_register_id_responsibility_registers_id_fk" FOREIGN KEY ("register_id") REFERENCES "public"."responsibility_registers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "responsibility_tasks" ADD CONSTRAINT "responsibility_tasks_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_entries_round_unit_idx" ON "assessment_entries" USING btree ("round_id","org_unit_id");--> statement-breakpoint
CREATE INDEX "assessment_entries_unit_idx" ON "assessment_entries" USING btree ("org_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_rounds_unit_year_level_idx" ON "assessment_rounds" USING btree ("org_unit_id","year","level");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_standards_name_version_idx" ON "assessment_standards" USING btree ("name","version");--> statement-breakpoint
CREATE INDEX "assessment_titles_unit_idx" ON "assessment_titles" USING btree ("org_unit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_titles_unit_level_year_idx" ON "assessment_titles" USING btree ("org_unit_id","level","year");--> statement-breakpoint
CREATE UNIQUE INDEX "goal_entries_unit_measure_year_idx" ON "goal_entries" USING btree ("org_unit_id","measure_code","year");--> statement-breakpoint
CREATE INDEX "goal_entries_measure_year_idx" ON "goal_entries" USING btree ("measure_code","year");--> statement-breakpoint
CREATE INDEX "responsibility_checks_task_idx" ON "responsibility_checks" USING btree ("task_id","checked_at");--> statement-breakpoint
CREATE INDEX "responsibility_progress_task_idx" ON "responsibility_progress" USING btree ("task_id","reported_at");--> statement-breakpoint
CREATE UNIQUE INDEX "responsibility_registers_unit_year_idx" ON "responsibility_registers" USING btree ("org_unit_id","year");--> statement-breakpoint
CREATE INDEX "responsibility_registers_year_idx" ON "responsibility_registers" USING btree ("year");--> statement-breakpoint
CREATE INDEX "responsibility_tasks_register_idx" ON "responsibility_tasks" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "responsibility_tasks_org_unit_idx" ON "responsibility_tasks" USING btree ("org_unit_id");