DROP INDEX "positions_county_time_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "patrols_one_active_idx" ON "patrols" USING btree ("ranger_id") WHERE ended_at IS NULL;