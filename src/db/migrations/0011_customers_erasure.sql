ALTER TABLE "customers" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "customers_erased_at" ON "customers" USING btree ("erased_at") WHERE "customers"."erased_at" is not null;--> statement-breakpoint
CREATE FUNCTION "customers_keep_erased"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF OLD."erased_at" IS NOT NULL THEN
		NEW."erased_at" := OLD."erased_at";
		NEW."email_encrypted" := NULL;
		NEW."email_hash" := NULL;
		NEW."name_encrypted" := NULL;
		NEW."external_id" := NULL;
		NEW."metadata" := '{}'::jsonb;
		NEW."deleted" := true;
	END IF;
	RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "customers_keep_erased" BEFORE UPDATE ON "customers" FOR EACH ROW EXECUTE FUNCTION "customers_keep_erased"();
