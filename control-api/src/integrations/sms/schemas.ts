// zod schema of Africa's Talking's answer to a bulk SMS request, in its field names.
import { z } from 'zod';

/** The gateway takes up to 1,000 numbers per request; we never send more than RECIPIENTS_PER_REQUEST_MAX. */
const RECIPIENTS_ANSWERED_MAX = 1_000;

const recipientSchema = z.object({
  // Documented as a number; tolerate a numeric string.
  statusCode: z.union([z.number().int(), z.string().regex(/^\d{1,4}$/)]).transform(Number),
  number: z.string().max(32),
  status: z.string().max(200),
  // "None" for a message that was not sent.
  messageId: z.string().max(200).optional(),
  // "KES 0.8000", or "0" when nothing was charged.
  cost: z
    .union([z.string().max(100), z.number()])
    .transform(String)
    .optional(),
});
export type SmsRecipientAnswer = z.infer<typeof recipientSchema>;

export const sendSmsResponseSchema = z.object({
  SMSMessageData: z.object({
    Message: z.string().max(1_000),
    Recipients: z.array(recipientSchema).max(RECIPIENTS_ANSWERED_MAX),
  }),
});
export type SendSmsResponse = z.infer<typeof sendSmsResponseSchema>;
