// API schemas of vouchers (/api/v1/vouchers): batches of hotspot codes and their life.
import { z } from 'zod';
import {
  VOUCHER_CODE_LENGTH_DEFAULT,
  VOUCHER_CODE_LENGTH_MAX,
  VOUCHER_CODE_LENGTH_MIN,
} from '../voucher-codes';

/** One batch is one print run; 10,000 codes is ~420 A4 pages and one SQLite transaction of ~1 s. */
export const VOUCHER_BATCH_COUNT_MAX = 10_000;
export const VOUCHER_PREFIX_LENGTH_MAX = 8;

export const voucherStatusSchema = z.enum(['unused', 'active', 'expired', 'revoked']);

export const createVoucherBatchInputSchema = z
  .object({
    planId: z.string().min(1).max(64),
    count: z.number().int().min(1).max(VOUCHER_BATCH_COUNT_MAX),
    length: z
      .number()
      .int()
      .min(VOUCHER_CODE_LENGTH_MIN)
      .max(VOUCHER_CODE_LENGTH_MAX)
      .default(VOUCHER_CODE_LENGTH_DEFAULT),
    prefix: z
      .string()
      .trim()
      .toUpperCase()
      .max(VOUCHER_PREFIX_LENGTH_MAX)
      .regex(/^[A-Z0-9-]*$/, 'letters, digits and dash only')
      .default(''),
  })
  .strict();

export const voucherOutputSchema = z.object({
  id: z.string(),
  code: z.string(),
  planId: z.string(),
  batchId: z.string().nullable(),
  priceCents: z.number().int(),
  validitySeconds: z.number().int(),
  deviceLimit: z.number().int(),
  rateLimit: z.string(),
  dataCapBytes: z.number().int().nullable(),
  status: voucherStatusSchema,
  firstUsedAt: z.number().int().nullable(),
  expiresAt: z.number().int().nullable(),
  createdAt: z.number().int(),
});

export const voucherBatchOutputSchema = z.object({
  batchId: z.string(),
  codes: z.array(z.string()),
  items: z.array(voucherOutputSchema),
});

export const listVouchersQuerySchema = z.object({
  /** Code prefix, case-insensitive. */
  q: z
    .string()
    .trim()
    .toUpperCase()
    .max(VOUCHER_CODE_LENGTH_MAX + VOUCHER_PREFIX_LENGTH_MAX)
    .optional(),
  status: voucherStatusSchema.optional(),
  planId: z.string().max(64).optional(),
  batchId: z.string().max(64).optional(),
});

export const voucherExportQuerySchema = z.object({
  batchId: z.string().max(64).optional(),
  planId: z.string().max(64).optional(),
  status: voucherStatusSchema.optional(),
});

export const voucherPrintQuerySchema = z.object({
  batchId: z.string().min(1).max(64),
  format: z.enum(['html', 'pdf']).default('html'),
});

export type CreateVoucherBatchInput = z.infer<typeof createVoucherBatchInputSchema>;
export type VoucherOutput = z.infer<typeof voucherOutputSchema>;
export type ListVouchersFilter = z.infer<typeof listVouchersQuerySchema>;
