CREATE TABLE "credit_ledger" (
	"id" text PRIMARY KEY NOT NULL,
	"payer_kind" text NOT NULL,
	"payer_id" text NOT NULL,
	"feature" text NOT NULL,
	"amount" bigint NOT NULL,
	"movement" text NOT NULL,
	"lot_id" text NOT NULL,
	"reason" text,
	"reference" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credit_lots" (
	"id" text PRIMARY KEY NOT NULL,
	"payer_kind" text NOT NULL,
	"payer_id" text NOT NULL,
	"feature" text NOT NULL,
	"granted" bigint NOT NULL,
	"remaining" bigint NOT NULL,
	"source" text NOT NULL,
	"source_ref" text NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meter_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"payer_kind" text NOT NULL,
	"payer_id" text NOT NULL,
	"feature" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"stripe_customer_id" text NOT NULL,
	"event_name" text NOT NULL,
	"value" bigint NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "usage_counters" (
	"payer_kind" text NOT NULL,
	"payer_id" text NOT NULL,
	"feature" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"period_end" timestamp with time zone,
	"used" bigint DEFAULT 0 NOT NULL,
	"reserved" bigint DEFAULT 0 NOT NULL,
	"limit_floor" bigint DEFAULT 0 NOT NULL,
	"credits_drawn" bigint DEFAULT 0 NOT NULL,
	"overage_reported" bigint DEFAULT 0 NOT NULL,
	"announced_percent" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "usage_counters_payer_kind_payer_id_feature_period_start_pk" PRIMARY KEY("payer_kind","payer_id","feature","period_start")
);
--> statement-breakpoint
CREATE TABLE "usage_events" (
	"id" text PRIMARY KEY NOT NULL,
	"payer_kind" text NOT NULL,
	"payer_id" text NOT NULL,
	"feature" text NOT NULL,
	"value" bigint NOT NULL,
	"idempotency_key" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_reservations" (
	"id" text PRIMARY KEY NOT NULL,
	"payer_kind" text NOT NULL,
	"payer_id" text NOT NULL,
	"feature" text NOT NULL,
	"period_start" timestamp with time zone NOT NULL,
	"units" bigint NOT NULL,
	"from_credits" bigint DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'held' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "credit_ledger_payer" ON "credit_ledger" USING btree ("payer_kind","payer_id","feature","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "credit_lots_source" ON "credit_lots" USING btree ("payer_kind","payer_id","feature","source","source_ref");--> statement-breakpoint
CREATE INDEX "credit_lots_payer" ON "credit_lots" USING btree ("payer_kind","payer_id","feature","expires_at");--> statement-breakpoint
CREATE INDEX "meter_reports_pending" ON "meter_reports" USING btree ("created_at") WHERE "meter_reports"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "meter_reports_payer" ON "meter_reports" USING btree ("payer_kind","payer_id","feature","period_start");--> statement-breakpoint
CREATE UNIQUE INDEX "usage_events_idempotency" ON "usage_events" USING btree ("payer_kind","payer_id","feature","idempotency_key");--> statement-breakpoint
CREATE INDEX "usage_events_period" ON "usage_events" USING btree ("payer_kind","payer_id","feature","period_start");--> statement-breakpoint
CREATE INDEX "usage_events_recorded" ON "usage_events" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX "usage_reservations_open" ON "usage_reservations" USING btree ("expires_at") WHERE "usage_reservations"."status" = 'held';