CREATE TABLE "revenue_months" (
	"month" date NOT NULL,
	"currency" text NOT NULL,
	"plan_id" text NOT NULL,
	"invoiced" bigint DEFAULT 0 NOT NULL,
	"invoiced_count" integer DEFAULT 0 NOT NULL,
	"collected" bigint DEFAULT 0 NOT NULL,
	"collected_count" integer DEFAULT 0 NOT NULL,
	"refunded" bigint DEFAULT 0 NOT NULL,
	"refunded_count" integer DEFAULT 0 NOT NULL,
	"attempted" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"recovered" integer DEFAULT 0 NOT NULL,
	"recovery_seconds" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "revenue_months_month_currency_plan_id_pk" PRIMARY KEY("month","currency","plan_id")
);
--> statement-breakpoint
CREATE INDEX "mrr_movements_involuntary_churn" ON "mrr_movements" USING btree ("at","currency","plan_id") WHERE "mrr_movements"."kind" = 'churned' and "mrr_movements"."involuntary";--> statement-breakpoint
-- An existing installation's invoices and refunds, summed as reports/revenue-rollup.ts sums them:
-- from here on every write keeps the rollup by difference, which needs it right from the start.
INSERT INTO "revenue_months" ("month", "currency", "plan_id", "invoiced", "invoiced_count", "collected",
  "collected_count", "refunded", "refunded_count", "attempted", "failed", "recovered", "recovery_seconds")
SELECT month, currency, plan_id, sum(invoiced), sum(invoiced_count), sum(collected), sum(collected_count),
       sum(refunded), sum(refunded_count), sum(attempted), sum(failed), sum(recovered), sum(recovery_seconds)
FROM (
  SELECT c.month, i.currency, coalesce(s.plan_id, '') AS plan_id, c.invoiced, c.invoiced_count,
         c.collected, c.collected_count, 0 AS refunded, 0 AS refunded_count,
         c.attempted, c.failed, c.recovered, c.recovery_seconds
  FROM invoices i
  LEFT JOIN subscriptions s ON s.id = i.subscription_id
  CROSS JOIN LATERAL (
    SELECT i.status IN ('open', 'paid', 'uncollectible') AS finalised,
           (i.subscription_id IS NOT NULL AND i.attempt_count >= 1
            AND i.status IN ('open', 'paid', 'uncollectible', 'void')) AS tried,
           (i.attempt_count > 1 AND i.status = 'paid') AS after_retry
  ) f
  CROSS JOIN LATERAL (VALUES
    (date_trunc('month', i.created_at AT TIME ZONE 'UTC')::date, CASE WHEN f.finalised THEN i.total ELSE 0 END,
     f.finalised::int, 0, 0, f.tried::int, (f.tried AND (i.attempt_count > 1 OR i.status <> 'paid'))::int,
     (f.tried AND f.after_retry)::int,
     CASE WHEN f.tried AND f.after_retry
          THEN coalesce(round(extract(epoch FROM i.paid_at - i.created_at)), 0) ELSE 0 END::bigint),
    (date_trunc('month', i.paid_at AT TIME ZONE 'UTC')::date, 0, 0,
     CASE WHEN i.status = 'paid' THEN i.amount_paid ELSE 0 END, (i.status = 'paid')::int, 0, 0, 0, 0::bigint)
  ) AS c(month, invoiced, invoiced_count, collected, collected_count, attempted, failed, recovered,
         recovery_seconds)
  WHERE c.month IS NOT NULL AND c.invoiced_count + c.collected_count + c.attempted > 0
  UNION ALL
  SELECT date_trunc('month', r.created_at AT TIME ZONE 'UTC')::date, r.currency, '', 0, 0, 0, 0, r.amount, 1,
         0, 0, 0, 0::bigint
  FROM refunds r
  WHERE r.status IN ('succeeded', 'pending')
) p
GROUP BY month, currency, plan_id;
