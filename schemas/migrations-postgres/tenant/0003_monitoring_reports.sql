CREATE INDEX "purchases_voucher" ON "purchases" USING btree ("voucher_id");--> statement-breakpoint
CREATE INDEX "vouchers_first_used" ON "vouchers" USING btree ("first_used_at");