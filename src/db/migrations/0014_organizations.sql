CREATE TABLE "organization_members" (
	"organization_id" text NOT NULL,
	"user_id" text NOT NULL,
	"role" text NOT NULL,
	"holds_seat" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organization_members_organization_id_user_id_pk" PRIMARY KEY("organization_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name_encrypted" text NOT NULL,
	"billing_email_encrypted" text,
	"auto_add_seats" boolean DEFAULT false NOT NULL,
	"invoice_footer" text,
	"invoice_custom_fields" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "organization_id" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "seat_mode" text;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "kind" text DEFAULT 'base' NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "requires_plans" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "per_seat" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "organization_members" ADD CONSTRAINT "organization_members_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organization_members_user" ON "organization_members" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_organization_live" ON "customers" USING btree ("organization_id") WHERE not "customers"."deleted";--> statement-breakpoint
CREATE INDEX "customers_organization" ON "customers" USING btree ("organization_id");