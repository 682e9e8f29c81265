CREATE TABLE "plan_metered_prices" (
	"id" text PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"feature" text NOT NULL,
	"stripe_price_id" text NOT NULL,
	"stripe_meter_id" text NOT NULL,
	"currency" text NOT NULL,
	"interval" text NOT NULL,
	"interval_count" integer DEFAULT 1 NOT NULL,
	"unit_amount" integer,
	"tiers_mode" text,
	"tiers" jsonb,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "usage_meters" (
	"feature" text PRIMARY KEY NOT NULL,
	"stripe_meter_id" text NOT NULL,
	"event_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_meters_stripe_meter_id_unique" UNIQUE("stripe_meter_id"),
	CONSTRAINT "usage_meters_event_name_unique" UNIQUE("event_name")
);
--> statement-breakpoint
DROP INDEX "meter_reports_pending";--> statement-breakpoint
ALTER TABLE "subscription_items" ALTER COLUMN "quantity" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "meter_reports" ADD COLUMN "next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_metered_prices" ADD CONSTRAINT "plan_metered_prices_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plan_metered_prices_stripe_price" ON "plan_metered_prices" USING btree ("stripe_price_id");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_metered_prices_slot" ON "plan_metered_prices" USING btree ("plan_id","feature","currency","interval","interval_count") WHERE "plan_metered_prices"."active";--> statement-breakpoint
CREATE INDEX "meter_reports_pending" ON "meter_reports" USING btree ("next_attempt_at") WHERE "meter_reports"."status" = 'pending';