// Africa's Talking delivery reports for simulated messages: what the gateway posts to an ISP's delivery
// report callback URL once the telco confirms or rejects a message. Written apart from the control-api's
// parser on purpose, so a mistake in one is caught by the other; it refuses to post what the gateway
// would never send.
//
// Wire format (Africa's Talking docs, SMS, "Notifications" → "Delivery Reports", and SMS "Delivery
// reports"): a POST per message, form-encoded (application/x-www-form-urlencoded), fields `id` (the
// messageId of the send answer), `status` (Sent, Submitted, Buffered: on the way; Rejected, Success,
// Failed: final), `phoneNumber`, `networkCode`, `failureReason` (only with Rejected or Failed) and
// `retryCount` (premium SMS only).
import { z } from 'zod';

/** The gateway waits a few seconds for a callback answer; a simulator that waits longer hides a slow route. */
export const CALLBACK_TIMEOUT_MS = 10_000;
/** Reports in flight at once: the gateway posts many, but not a thousand at a time to one ISP. */
export const CALLBACK_CONCURRENCY_MAX = 16;

export const DELIVERY_STATUSES = ['Sent', 'Submitted', 'Buffered', 'Rejected', 'Success', 'Failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
const FINAL_STATUSES: ReadonlySet<DeliveryStatus> = new Set(['Rejected', 'Success', 'Failed']);

/** failureReason values the documentation lists. */
export const FAILURE_REASONS = [
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
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** Network codes the documentation lists for Kenya, and the sandbox's. */
export const KENYAN_NETWORK_CODES = {
  safaricom: '63902',
  airtel: '63903',
  telkom: '63907',
  sandbox: '99999',
} as const;

export const simulatedDeliveryReportSchema = z
  .object({
    id: z.string().min(1).max(200),
    status: z.enum(DELIVERY_STATUSES),
    phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/),
    networkCode: z.string().regex(/^\d{5}$/),
    failureReason: z.enum(FAILURE_REASONS).optional(),
    retryCount: z.number().int().min(0).max(10).optional(),
  })
  .strict()
  .refine(
    (report) =>
      (report.failureReason !== undefined) === (report.status === 'Rejected' || report.status === 'Failed'),
    {
      message: 'failureReason comes with Rejected or Failed, and only then',
    },
  );
export type SimulatedDeliveryReport = z.infer<typeof simulatedDeliveryReportSchema>;

export interface DeliveryOutcome {
  readonly status: DeliveryStatus;
  readonly failureReason?: FailureReason;
}

/**
 * Numbers whose delivery ends otherwise (the send itself succeeded). Distinct from the SMS simulator's
 * send-time magic numbers (…403, …405, …406, …500, …501), which never get a messageId.
 */
export const MAGIC_DELIVERY_OUTCOMES: Readonly<Record<string, DeliveryOutcome>> = {
  '+254700000601': { status: 'Failed', failureReason: 'UserDoesNotExist' },
  '+254700000602': { status: 'Rejected', failureReason: 'UserInBlackList' },
  '+254700000603': { status: 'Buffered' },
  '+254700000604': { status: 'Failed', failureReason: 'DeliveryFailure' },
};

/** By prefix, roughly (Airtel 073x/075x/078x/010x, Telkom 077x, Safaricom the rest): enough to vary the code. */
function networkCodeOf(phoneNumber: string): string {
  const prefix = phoneNumber.slice(4, 6);
  if (['73', '75', '78', '10'].includes(prefix)) return KENYAN_NETWORK_CODES.airtel;
  if (prefix === '77') return KENYAN_NETWORK_CODES.telkom;
  return KENYAN_NETWORK_CODES.safaricom;
}

/** The reports the gateway would post for one sent message: optionally "Submitted" first, then the outcome. */
export function deliveryReportsFor(
  message: { readonly messageId: string; readonly to: string },
  options: { readonly outcome?: DeliveryOutcome; readonly withIntermediate?: boolean } = {},
): SimulatedDeliveryReport[] {
  const outcome = options.outcome ?? MAGIC_DELIVERY_OUTCOMES[message.to] ?? { status: 'Success' };
  const base = { id: message.messageId, phoneNumber: message.to, networkCode: networkCodeOf(message.to) };
  const final = simulatedDeliveryReportSchema.parse({ ...base, ...outcome });
  const isIntermediateWanted = options.withIntermediate === true && FINAL_STATUSES.has(final.status);
  return isIntermediateWanted
    ? [simulatedDeliveryReportSchema.parse({ ...base, status: 'Submitted' }), final]
    : [final];
}

/** Posts one report as the gateway does; resolves with the HTTP status the callback answered. */
export async function postDeliveryReport(
  callbackUrl: string,
  report: SimulatedDeliveryReport,
  fetchFunction: typeof fetch = fetch,
): Promise<number> {
  const checked = simulatedDeliveryReportSchema.parse(report);
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(checked)) form.set(name, String(value));
  const response = await fetchFunction(callbackUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
  });
  await response.arrayBuffer();
  return response.status;
}

export interface DeliveryRun {
  /** Reports posted, intermediate ones included. */
  readonly posted: number;
  /** Answers by HTTP status. */
  readonly answers: ReadonlyMap<number, number>;
}

/**
 * Posts the delivery reports of many sent messages (the SMS simulator's `delivered()`), at most
 * CALLBACK_CONCURRENCY_MAX at a time, each message's reports in order.
 */
export async function reportDeliveries(input: {
  readonly callbackUrl: string;
  readonly messages: readonly { readonly messageId: string | null; readonly to: string }[];
  readonly outcomeFor?: (to: string) => DeliveryOutcome | undefined;
  readonly withIntermediate?: boolean;
  readonly concurrency?: number;
  readonly fetch?: typeof fetch;
}): Promise<DeliveryRun> {
  const concurrency = Math.min(input.concurrency ?? CALLBACK_CONCURRENCY_MAX, CALLBACK_CONCURRENCY_MAX);
  const queue = input.messages.filter(
    (message): message is { messageId: string; to: string } => message.messageId !== null,
  );
  const answers = new Map<number, number>();
  let posted = 0;
  const worker = async () => {
    for (let message = queue.shift(); message !== undefined; message = queue.shift()) {
      const outcome = input.outcomeFor?.(message.to);
      const reports = deliveryReportsFor(message, {
        ...(outcome === undefined ? {} : { outcome }),
        withIntermediate: input.withIntermediate ?? false,
      });
      for (const report of reports) {
        const status = await postDeliveryReport(input.callbackUrl, report, input.fetch);
        posted += 1;
        answers.set(status, (answers.get(status) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { posted, answers };
}
