// API schemas of sessions (/api/v1/sessions): live ones from the AAA server, closed ones from the shard.
import { z } from 'zod';

export const sessionFilterQuerySchema = z.object({
  nasId: z.string().max(64).optional(),
  subscriberId: z.string().max(64).optional(),
  voucherId: z.string().max(64).optional(),
});

export const liveSessionOutputSchema = z.object({
  id: z.string(),
  nasId: z.string(),
  acctSessionId: z.string(),
  username: z.string(),
  subjectKind: z.enum(['voucher', 'subscriber', 'guest_pass']),
  subjectId: z.string(),
  callingStationId: z.string(),
  framedIp: z.string().nullable(),
  status: z.enum(['open', 'closed']),
  startedAt: z.number().int(),
  updatedAt: z.number().int(),
  stoppedAt: z.number().int().nullable(),
  uptimeSeconds: z.number().int(),
  inputOctets: z.number().int(),
  outputOctets: z.number().int(),
  terminateCause: z.string().nullable(),
});

export const disconnectOutputSchema = z.object({
  outcome: z.enum(['ack', 'nak', 'timeout']),
  errorCause: z.number().int().nullable().optional(),
});

export type SessionFilter = z.infer<typeof sessionFilterQuerySchema>;
export type SessionOutput = z.infer<typeof liveSessionOutputSchema>;
