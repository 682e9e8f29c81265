CREATE TABLE "mrr_cohorts" (
	"cohort_month" date NOT NULL,
	"currency" text NOT NULL,
	"plan_id" text NOT NULL,
	"months_after" integer NOT NULL,
	"joined" integer DEFAULT 0 NOT NULL,
	"left" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "mrr_cohorts_cohort_month_currency_plan_id_months_after_pk" PRIMARY KEY("cohort_month","currency","plan_id","months_after")
);
--> statement-breakpoint
CREATE TABLE "mrr_months" (
	"month" date NOT NULL,
	"currency" text NOT NULL,
	"plan_id" text NOT NULL,
	"new_mrr" bigint DEFAULT 0 NOT NULL,
	"expansion_mrr" bigint DEFAULT 0 NOT NULL,
	"contraction_mrr" bigint DEFAULT 0 NOT NULL,
	"churned_mrr" bigint DEFAULT 0 NOT NULL,
	"reactivated_mrr" bigint DEFAULT 0 NOT NULL,
	"transfer_mrr" bigint DEFAULT 0 NOT NULL,
	"new_count" integer DEFAULT 0 NOT NULL,
	"churned_count" integer DEFAULT 0 NOT NULL,
	"reactivated_count" integer DEFAULT 0 NOT NULL,
	"transfer_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "mrr_months_month_currency_plan_id_pk" PRIMARY KEY("month","currency","plan_id")
);
--> statement-breakpoint
CREATE TABLE "mrr_movements" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"plan_id" text,
	"currency" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"kind" text NOT NULL,
	"mrr_delta" bigint NOT NULL,
	"mrr_after" bigint NOT NULL,
	"involuntary" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subscription_mrr" (
	"subscription_id" text PRIMARY KEY NOT NULL,
	"customer_id" text NOT NULL,
	"plan_id" text,
	"currency" text NOT NULL,
	"mrr" bigint NOT NULL,
	"cohort_month" date,
	"cohort_plan_id" text,
	"trial_start" timestamp with time zone,
	"converted_at" timestamp with time zone,
	"trial_end" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "mrr_movements_subscription" ON "mrr_movements" USING btree ("subscription_id","at");--> statement-breakpoint
CREATE INDEX "mrr_movements_kind_at" ON "mrr_movements" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "subscription_mrr_trial_start" ON "subscription_mrr" USING btree ("trial_start");--> statement-breakpoint
CREATE INDEX "invoices_created" ON "invoices" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "subscriptions_created" ON "subscriptions" USING btree ("created_at","id");