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
CREATE INDEX "responsibility_checks_task_idx" ON "responsibility_checks" USING btree ("task_id","checked_at");--> statement-breakpoint
CREATE INDEX "responsibility_progress_task_idx" ON "responsibility_progress" USING btree ("task_id","reported_at");--> statement-breakpoint
CREATE UNIQUE INDEX "responsibility_registers_unit_year_idx" ON "responsibility_registers" USING btree ("org_unit_id","year");--> statement-breakpoint
CREATE INDEX "responsibility_registers_year_idx" ON "responsibility_registers" USING btree ("year");--> statement-breakpoint
CREATE INDEX "responsibility_tasks_register_idx" ON "responsibility_tasks" USING btree ("register_id");--> statement-breakpoint
CREATE INDEX "responsibility_tasks_org_unit_idx" ON "responsibility_tasks" USING btree ("org_unit_id");