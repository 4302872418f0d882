// QuickBooks Online Accounting API v3 answers as zod schemas: only the fields the sync reads.
// Shapes: developer.intuit.com, API Explorer entity pages (Customer, Invoice, Payment, CreditMemo,
// JournalEntry), and "Error codes" / "Handling common errors" for the Fault body.
import { z } from 'zod';

const entitySchema = z.object({ Id: z.string().min(1), SyncToken: z.string() });

export const customerSchema = entitySchema.extend({
  DisplayName: z.string(),
  Active: z.boolean().optional(),
  Balance: z.number().optional(),
});
export type QuickBooksCustomer = z.infer<typeof customerSchema>;

export const invoiceSchema = entitySchema.extend({
  DocNumber: z.string().optional(),
  TotalAmt: z.number(),
  Balance: z.number().optional(),
  CustomerRef: z.object({ value: z.string() }),
  PrivateNote: z.string().optional(),
});
export type QuickBooksInvoice = z.infer<typeof invoiceSchema>;

export const paymentSchema = entitySchema.extend({
  TotalAmt: z.number(),
  UnappliedAmt: z.number().optional(),
  CustomerRef: z.object({ value: z.string() }),
});
export type QuickBooksPayment = z.infer<typeof paymentSchema>;

export const creditMemoSchema = entitySchema.extend({
  DocNumber: z.string().optional(),
  TotalAmt: z.number(),
  RemainingCredit: z.number().optional(),
  CustomerRef: z.object({ value: z.string() }),
});
export type QuickBooksCreditMemo = z.infer<typeof creditMemoSchema>;

export const journalEntrySchema = entitySchema.extend({ DocNumber: z.string().optional() });
export type QuickBooksJournalEntry = z.infer<typeof journalEntrySchema>;

/** `{"Fault":{"Error":[{"Message","Detail","code","element"}],"type":"ValidationFault"},"time":…}` */
export const faultBodySchema = z.object({
  Fault: z.object({
    Error: z
      .array(
        z.object({
          Message: z.string().optional(),
          Detail: z.string().optional(),
          code: z.string().optional(),
          element: z.string().optional(),
        }),
      )
      .default([]),
    type: z.string().optional(),
  }),
});

/** Intuit's gateway answers some 401s with `{"fault":{"error":[{"message","detail","code"}]}}` in lower case. */
export const gatewayFaultBodySchema = z.object({
  fault: z.object({
    error: z
      .array(
        z.object({
          message: z.string().optional(),
          detail: z.string().optional(),
          code: z.string().optional(),
        }),
      )
      .default([]),
    type: z.string().optional(),
  }),
});
