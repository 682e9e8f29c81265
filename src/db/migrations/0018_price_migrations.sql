CREATE TABLE "price_migration_items" (
	"migration_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"customer_id" text NOT NULL,
	"position" integer NOT NULL,
	"from_price_id" text NOT NULL,
	"quantity" integer NOT NULL,
	"amount_before" integer NOT NULL,
	"amount_after" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"schedule_id" text,
	"effective_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "price_migration_items_migration_id_subscription_id_pk" PRIMARY KEY("migration_id","subscription_id")
);
--> statement-breakpoint
CREATE TABLE "price_migrations" (
	"id" text PRIMARY KEY NOT NULL,
	"from_price_ids" jsonb NOT NULL,
	"to_price_id" text NOT NULL,
	"currency" text NOT NULL,
	"timing" text NOT NULL,
	"notify_customers" boolean NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"mrr_before" integer NOT NULL,
	"mrr_after" integer NOT NULL,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"undone_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "price_migration_items" ADD CONSTRAINT "price_migration_items_migration_id_price_migrations_id_fk" FOREIGN KEY ("migration_id") REFERENCES "public"."price_migrations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "price_migration_items_order" ON "price_migration_items" USING btree ("migration_id","position");--> statement-breakpoint
CREATE INDEX "price_migrations_created" ON "price_migrations" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "price_migrations_running" ON "price_migrations" USING btree ("id") WHERE "price_migrations"."status" = 'running';