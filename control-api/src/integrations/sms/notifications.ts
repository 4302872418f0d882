// zod schemas of what Africa's Talking posts to us about SMS: delivery reports, incoming messages and bulk
// SMS opt-outs, in its field names. Source: Africa's Talking docs, SMS, "Notifications" (Delivery Reports,
// Incoming Messages, Bulk SMS Opt Out), and SMS "Delivery reports" (status and failureReason values).
// The gateway posts each as an HTML form (application/x-www-form-urlencoded), one notification per
// request; `notificationFields` also takes a JSON object, so a route can accept either.
import { z } from 'zod';

/** Each value is a short word or number; anything longer is not from the gateway. */
const FIELD_CHARS_MAX = 200;
/** An inbound SMS of up to ten concatenated parts. */
const INBOUND_TEXT_CHARS_MAX = 1_600;
/** Fields read from a form or object; a form with more is not a notification. */
const FIELDS_MAX = 30;

/**
 * Sent, Submitted and Buffered are on the way; Success, Rejected and Failed are final ("This is a final
 * status"). Anything else is refused: the route keeps the raw body and answers 200 so the gateway does
 * not retry a report no retry will make readable.
 */
export const DELIVERY_STATUSES = ['Sent', 'Submitted', 'Buffered', 'Rejected', 'Success', 'Failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const FINAL_DELIVERY_STATUSES: ReadonlySet<DeliveryStatus> = new Set([
  'Rejected',
  'Success',
  'Failed',
]);

/**
 * failureReason values documented for Rejected/Failed. The gateway has sent others (AbsentSubscriber,
 * and the docs' own spelling "NotNetworkSubcriber"), so any single word is accepted and kept.
 */
export const DOCUMENTED_FAILURE_REASONS = [
  'InsufficientCredit',
  'InvalidLinkId',
  'UserIsInactive',
  'UserInBlackList',
  'UserAccountSuspended',
  'NotNetworkSubscriber',
  'UserNotSubscribedToProduct',
  'UserDoesNotExist',
  'DeliveryFailure',
] as const;

/** The gateway's number format ("+254711XXXYYY"); a plus is tolerated missing. */
const phoneNumberSchema = z.string().regex(/^\+?[1-9]\d{6,14}$/, 'an international phone number');
const counterSchema = z.union([
  z.number().int().min(0),
  z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number),
]);

export const deliveryReportSchema = z.object({
  /** The messageId the send answer gave ("ATXid_…"). */
  id: z.string().min(1).max(FIELD_CHARS_MAX),
  status: z.enum(DELIVERY_STATUSES),
  phoneNumber: phoneNumberSchema,
  /** Mobile country and network code of the telco: 63902 Safaricom, 63903 Airtel Kenya, 99999 sandbox. */
  networkCode: z
    .string()
    .regex(/^\d{5,6}$/)
    .optional(),
  /** Only with Rejected or Failed; the gateway may send it empty otherwise. */
  failureReason: z
    .string()
    .max(FIELD_CHARS_MAX)
    .regex(/^[A-Za-z]*$/)
    .transform((reason) => (reason === '' ? undefined : reason))
    .optional(),
  /** Premium SMS only: how many times the telco retried. */
  retryCount: counterSchema.optional(),
});
export type DeliveryReport = z.infer<typeof deliveryReportSchema>;

export const incomingMessageSchema = z.object({
  /** When the gateway received it, as the gateway writes it. */
  date: z.string().max(FIELD_CHARS_MAX).optional(),
  from: phoneNumberSchema,
  /** Our shortcode or number. */
  to: z.string().min(1).max(FIELD_CHARS_MAX),
  text: z.string().max(INBOUND_TEXT_CHARS_MAX),
  id: z.string().min(1).max(FIELD_CHARS_MAX),
  /** Premium on-demand services only. */
  linkId: z.string().max(FIELD_CHARS_MAX).optional(),
  networkCode: z
    .string()
    .regex(/^\d{5,6}$/)
    .optional(),
});
export type IncomingMessage = z.infer<typeof incomingMessageSchema>;

/** A subscriber opted out of an alphanumeric sender id (the gateway appends how to the first message). */
export const bulkOptOutSchema = z.object({
  senderId: z.string().min(1).max(FIELD_CHARS_MAX),
  phoneNumber: phoneNumberSchema,
});
export type BulkOptOut = z.infer<typeof bulkOptOutSchema>;

/** The fields of a form body (text or parsed) or a JSON object, for one of the schemas above; null if neither. */
export function notificationFields(body: string | URLSearchParams | unknown): Record<string, unknown> | null {
  if (typeof body === 'string' || body instanceof URLSearchParams) {
    const form = typeof body === 'string' ? new URLSearchParams(body) : body;
    const fields: Record<string, string> = {};
    let count = 0;
    for (const [name, value] of form) {
      count += 1;
      if (count > FIELDS_MAX) return null;
      fields[name] = value;
    }
    return fields;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  return Object.keys(body).length > FIELDS_MAX ? null : (body as Record<string, unknown>);
}
