ALTER TABLE "customers" ADD COLUMN "name_prefixes" text[];--> statement-breakpoint
CREATE INDEX "customers_name_prefixes" ON "customers" USING gin ("name_prefixes");--> statement-breakpoint
CREATE OR REPLACE FUNCTION "customers_keep_erased"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD."erased_at" IS NOT NULL THEN
		NEW."erased_at" := OLD."erased_at";
		NEW."email_encrypted" := NULL;
		NEW."email_hash" := NULL;
		NEW."name_encrypted" := NULL;
		NEW."name_prefixes" := NULL;
		NEW."external_id" := NULL;
		NEW."metadata" := '{}'::jsonb;
		NEW."deleted" := true;
	END IF;
	RETURN NEW;
END
$$;
