CREATE TABLE "dispute_actions" (
	"id" text PRIMARY KEY NOT NULL,
	"source_id" text NOT NULL,
	"action" text NOT NULL,
	"subscription_id" text,
	"result_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disputes" (
	"id" text PRIMARY KEY NOT NULL,
	"charge_id" text NOT NULL,
	"payment_intent_id" text,
	"customer_id" text,
	"subscription_id" text,
	"invoice_id" text,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"evidence_due_by" timestamp with time zone,
	"is_charge_refundable" boolean NOT NULL,
	"access_frozen" boolean DEFAULT false NOT NULL,
	"stripe_event_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "early_fraud_warnings" (
	"id" text PRIMARY KEY NOT NULL,
	"charge_id" text NOT NULL,
	"payment_intent_id" text,
	"customer_id" text,
	"subscription_id" text,
	"invoice_id" text,
	"fraud_type" text NOT NULL,
	"actionable" boolean NOT NULL,
	"stripe_event_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "dispute_actions_source_action" ON "dispute_actions" USING btree ("source_id","action");--> statement-breakpoint
CREATE INDEX "disputes_created" ON "disputes" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "disputes_charge" ON "disputes" USING btree ("charge_id");--> statement-breakpoint
CREATE INDEX "disputes_frozen_subscription" ON "disputes" USING btree ("subscription_id") WHERE "disputes"."access_frozen";--> statement-breakpoint
CREATE INDEX "early_fraud_warnings_created" ON "early_fraud_warnings" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "charges_created" ON "charges" USING btree ("created_at");