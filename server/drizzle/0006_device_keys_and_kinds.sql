CREATE TABLE "device_key_policies" (
	"org_unit_id" integer PRIMARY KEY NOT NULL,
	"require_keys" boolean NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "kind" text DEFAULT 'phone' NOT NULL;--> statement-breakpoint
ALTER TABLE "device_key_policies" ADD CONSTRAINT "device_key_policies_org_unit_id_org_units_id_fk" FOREIGN KEY ("org_unit_id") REFERENCES "public"."org_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_kind_check" CHECK ("devices"."kind" IN ('phone', 'tracker'));--> statement-breakpoint
-- Offices set their county's key policy (a permission of the built-in office roles).
UPDATE "roles" SET "permissions" = array_append("permissions", 'devices:policy')
WHERE "id" IN ('city_office', 'county_office') AND NOT ('devices:policy' = ANY("permissions"));--> statement-breakpoint
-- The ranger page's devices report under the ranger's session only: a random key nobody knows
-- keeps every other protocol out of them.
UPDATE "devices" SET "key_hash" = encode(sha256(convert_to(gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')), 'hex')
WHERE "unique_id" LIKE 'web-%' AND "model" = 'browser' AND "key_hash" IS NULL;--> statement-breakpoint
-- A device bound to a ranger belongs to the ranger's unit.
UPDATE "devices" d SET "org_unit_id" = r."org_unit_id"
FROM "device_bindings" b JOIN "rangers" r ON r."id" = b."ranger_id"
WHERE b."device_id" = d."id" AND b."valid_to" IS NULL AND d."org_unit_id" <> r."org_unit_id";
