ALTER TABLE "invoices" ADD COLUMN "tax" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "revenue_months" ADD COLUMN "invoiced_tax" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "revenue_months" ADD COLUMN "collected_tax" bigint DEFAULT 0 NOT NULL;