// PayPal's documented answers (OAuth2 token, Orders v2) as zod schemas: only the fields we read.
import { z } from 'zod';

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  /** Seconds. */
  expires_in: z.number().int().positive(),
});

export const linkSchema = z.object({ href: z.string(), rel: z.string(), method: z.string().optional() });

export const amountSchema = z.object({ currency_code: z.string().length(3), value: z.string() });

export const captureSchema = z.object({
  id: z.string().min(1),
  /** COMPLETED | PENDING | DECLINED | REFUNDED | PARTIALLY_REFUNDED | FAILED */
  status: z.string(),
  amount: amountSchema,
  custom_id: z.string().optional(),
  invoice_id: z.string().optional(),
  final_capture: z.boolean().optional(),
  create_time: z.string().optional(),
});
export type PayPalCapture = z.infer<typeof captureSchema>;

export const purchaseUnitSchema = z.object({
  reference_id: z.string().optional(),
  custom_id: z.string().optional(),
  invoice_id: z.string().optional(),
  amount: amountSchema.optional(),
  payments: z.object({ captures: z.array(captureSchema).optional() }).optional(),
});

export const orderSchema = z.object({
  id: z.string().min(1),
  /** CREATED | SAVED | APPROVED | VOIDED | COMPLETED | PAYER_ACTION_REQUIRED */
  status: z.string(),
  intent: z.string().optional(),
  purchase_units: z.array(purchaseUnitSchema).optional(),
  links: z.array(linkSchema).optional(),
});
export type PayPalOrder = z.infer<typeof orderSchema>;

export const errorBodySchema = z.object({
  name: z.string().optional(),
  message: z.string().optional(),
  debug_id: z.string().optional(),
  details: z.array(z.object({ issue: z.string(), description: z.string().optional() })).optional(),
  /** OAuth errors: {error: "invalid_client", error_description}. */
  error: z.string().optional(),
  error_description: z.string().optional(),
});
