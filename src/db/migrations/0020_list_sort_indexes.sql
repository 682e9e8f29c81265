CREATE INDEX "customers_created" ON "customers" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "invoices_total" ON "invoices" USING btree ("total","id");--> statement-breakpoint
CREATE INDEX "refunds_created" ON "refunds" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "refunds_amount" ON "refunds" USING btree ("amount","id");--> statement-breakpoint
CREATE INDEX "subscriptions_status_sorted" ON "subscriptions" USING btree ("status","id");--> statement-breakpoint
CREATE INDEX "events_received" ON "events" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "events_occurred" ON "events" USING btree ("occurred_at","id");