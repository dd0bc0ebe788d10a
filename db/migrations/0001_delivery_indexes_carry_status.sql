DROP INDEX "webhook_deliveries_endpoint_created_idx";--> statement-breakpoint
DROP INDEX "webhook_deliveries_endpoint_type_created_idx";--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_created_idx" ON "webhook_deliveries" USING btree ("endpoint_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST,"status");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_endpoint_type_created_idx" ON "webhook_deliveries" USING btree ("endpoint_id","event_type","created_at" DESC NULLS LAST,"id" DESC NULLS LAST,"status");