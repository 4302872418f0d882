// Africa's Talking delivery reports applied to campaign messages: the report's id is the messageId the
// send answer gave, stored on the message as providerMessageId.
import {
  type DeliveryReport,
  deliveryReportSchema,
  notificationFields,
} from '../../../integrations/sms/notifications';
import { applyMessageEvent, type CampaignMessage } from './messages';

export type ParsedDeliveryReport =
  | { readonly ok: true; readonly report: DeliveryReport }
  | { readonly ok: false; readonly problem: string };

/** The callback body (form text, URLSearchParams or a JSON object) read as a delivery report. */
export function parseDeliveryReport(body: unknown): ParsedDeliveryReport {
  const fields = notificationFields(body);
  if (fields === null) return { ok: false, problem: 'the body is neither a form nor a JSON object' };
  const parsed = deliveryReportSchema.safeParse(fields);
  if (!parsed.success) {
    return {
      ok: false,
      problem: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    };
  }
  return { ok: true, report: parsed.data };
}

/**
 * The message after a report: Success → delivered, Rejected/Failed → undelivered (with the reason),
 * on-the-way statuses and repeats change nothing. A report for a message still `sending` (it came before
 * the send answer was stored) changes nothing either: the integration keeps reports by id and applies
 * them again when it marks the message sent.
 */
export function applyDeliveryReport(message: CampaignMessage, report: DeliveryReport): CampaignMessage {
  if (message.providerMessageId !== report.id) {
    throw new RangeError(`report ${report.id} is not for message ${message.id}`);
  }
  if (message.status !== 'sent' && message.status !== 'delivered' && message.status !== 'undelivered') {
    return message;
  }
  return applyMessageEvent(message, {
    type: 'delivery_report',
    status: report.status,
    failureReason: report.failureReason,
  });
}
