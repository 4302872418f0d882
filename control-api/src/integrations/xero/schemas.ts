// Xero Accounting API 2.0 answers as zod schemas: only the fields the sync reads.
// Source: XeroAPI/Xero-OpenAPI, xero_accounting.yaml version 16.1.0 (components/schemas Contact, Invoice,
// Payment, CreditNote, BankTransaction, Allocation, Error, Element, ValidationError) and xero-identity.yaml
// (Connection).
import { z } from 'zod';

export const contactSchema = z.object({
  ContactID: z.string().min(1),
  ContactNumber: z.string().optional(),
  Name: z.string(),
  ContactStatus: z.string().optional(),
});
export type XeroContact = z.infer<typeof contactSchema>;

export const invoiceSchema = z.object({
  InvoiceID: z.string().min(1),
  InvoiceNumber: z.string().optional(),
  Reference: z.string().optional(),
  Status: z.string(),
  Total: z.number().optional(),
  AmountDue: z.number().optional(),
});
export type XeroInvoice = z.infer<typeof invoiceSchema>;

export const paymentSchema = z.object({
  PaymentID: z.string().min(1),
  Amount: z.number(),
  Status: z.string().optional(),
  PaymentType: z.string().optional(),
});
export type XeroPayment = z.infer<typeof paymentSchema>;

export const creditNoteSchema = z.object({
  CreditNoteID: z.string().min(1),
  CreditNoteNumber: z.string().optional(),
  Status: z.string(),
  Total: z.number().optional(),
  RemainingCredit: z.number().optional(),
});
export type XeroCreditNote = z.infer<typeof creditNoteSchema>;

export const bankTransactionSchema = z.object({
  BankTransactionID: z.string().min(1),
  Type: z.string(),
  /** Returned on RECEIVE-OVERPAYMENT / SPEND-OVERPAYMENT transactions. */
  OverpaymentID: z.string().optional(),
  Total: z.number().optional(),
});
export type XeroBankTransaction = z.infer<typeof bankTransactionSchema>;

export const allocationSchema = z.object({
  AllocationID: z.string().optional(),
  Amount: z.number(),
});
export type XeroAllocation = z.infer<typeof allocationSchema>;

export const connectionSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  tenantType: z.string(),
  tenantName: z.string().nullable().optional(),
});
export type XeroConnection = z.infer<typeof connectionSchema>;

/** `{ErrorNumber, Type, Message, Elements: [{…, ValidationErrors: [{Message}]}]}` (schema Error). */
export const errorBodySchema = z.object({
  ErrorNumber: z.number().optional(),
  Type: z.string().optional(),
  Message: z.string().optional(),
  Elements: z
    .array(
      z.object({ ValidationErrors: z.array(z.object({ Message: z.string() })).optional() }).passthrough(),
    )
    .optional(),
});

/** 401/403 answers are RFC 7807 problem documents: `{Type, Title, Status, Detail, Instance}`. */
export const problemBodySchema = z.object({
  Title: z.string().optional(),
  Status: z.number().optional(),
  Detail: z.string().optional(),
});
