// A thin typed client of Africa's Talking's bulk SMS API (POST /version1/messaging), the gateway most
// Kenyan ISPs use. One form-encoded POST needs no SDK: the official `africastalking` package brings
// axios, no injectable fetch or timeout, and does not validate the answer.
import { type JsonEndpoint, jsonEndpoint } from '../http-json';
import { SmsGatewayError } from './errors';
import { type SendSmsResponse, sendSmsResponseSchema } from './schemas';
import { classifySmsStatus, classifySmsStatusName, type SmsRecipientOutcome } from './status-codes';

export const SMS_MESSAGING_PATH = '/version1/messaging';
/** Six concatenated GSM-7 parts (6 × 153): a reminder is one or two; longer is a mistake, not a message. */
export const SMS_MESSAGE_CHARS_MAX = 918;
/** Kiunga sends one notification per request; a bulk caller stays well under the gateway's own limit. */
export const RECIPIENTS_PER_REQUEST_MAX = 100;
/** Answers list one short entry per recipient; anything far larger is not the gateway. */
const RESPONSE_BODY_CHARS_MAX = 256 * 1024;
/** E.164: a plus, then 7 to 15 digits. */
const INTERNATIONAL_NUMBER = /^\+[1-9]\d{6,14}$/;
/** Alphanumeric sender ids are at most 11 characters; shortcodes are digits. */
const SENDER_ID = /^[A-Za-z0-9 .-]{1,11}$/;

export interface SmsClientOptions {
  /** `KIUNGA_SMS_BASE_URL`: https://api.africastalking.com, the sandbox, or the simulator. */
  readonly baseUrl: string;
  /** The ISP's Africa's Talking application username. */
  readonly username: string;
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  /** Per HTTP call, body included. */
  readonly timeoutMs: number;
}

export interface SendSmsInput {
  /** International numbers: `+254712345678`. */
  readonly to: readonly string[];
  readonly message: string;
  /** A registered sender id or shortcode; the gateway's default when absent. */
  readonly from?: string | null;
}

export interface SmsRecipientResult {
  /** The number as we asked for it. */
  readonly number: string;
  readonly outcome: SmsRecipientOutcome;
  /** The gateway's statusCode; null when it did not list this number. */
  readonly statusCode: number | null;
  /** The gateway's status word ("Success", "InvalidPhoneNumber"), or its request-level message. */
  readonly status: string;
  readonly messageId: string | null;
  readonly cost: string | null;
}

export interface SendSmsResult {
  /** The gateway's summary: "Sent to 1/1 Total Cost: KES 0.8000". */
  readonly summary: string;
  /** One per number asked for, in the same order. */
  readonly recipients: SmsRecipientResult[];
}

export class SmsClient {
  private readonly post: JsonEndpoint;
  private readonly username: string;
  private readonly apiKey: string;

  constructor(options: SmsClientOptions) {
    this.post = jsonEndpoint({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      responseBodyCharsMax: RESPONSE_BODY_CHARS_MAX,
      providerName: "Africa's Talking",
      fail: (kind, message, details) => new SmsGatewayError(kind, message, details),
    });
    if (options.username === '' || options.apiKey === '') {
      throw new RangeError('username and apiKey are required');
    }
    this.username = options.username;
    this.apiKey = options.apiKey;
  }

  /**
   * Sends one message to every number. Throws SmsGatewayError when the gateway gave no per-recipient
   * answer (credentials refused, HTTP error, timeout); otherwise each number has its own outcome.
   */
  async send(input: SendSmsInput): Promise<SendSmsResult> {
    const body = this.formBody(input);
    const response = await this.post(
      'POST',
      SMS_MESSAGING_PATH,
      { apiKey: this.apiKey, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    );
    const gatewayMessage = typeof response.body === 'string' ? response.body.slice(0, 200) : undefined;
    if (response.status === 401) {
      throw new SmsGatewayError('authentication', 'the SMS gateway refused the username or API key', {
        httpStatus: 401,
        ...(gatewayMessage === undefined ? {} : { gatewayMessage }),
      });
    }
    if (response.status < 200 || response.status > 299) {
      const suffix = gatewayMessage === undefined ? '' : `: ${gatewayMessage}`;
      throw new SmsGatewayError('http', `the SMS gateway answered HTTP ${response.status}${suffix}`, {
        httpStatus: response.status,
        ...(gatewayMessage === undefined ? {} : { gatewayMessage }),
      });
    }
    const parsed = sendSmsResponseSchema.safeParse(response.body);
    if (!parsed.success) {
      throw new SmsGatewayError('invalid_response', 'the SMS gateway answer is not SMSMessageData', {
        httpStatus: response.status,
        cause: parsed.error,
      });
    }
    return { summary: parsed.data.SMSMessageData.Message, recipients: resultsFor(input.to, parsed.data) };
  }

  private formBody(input: SendSmsInput): string {
    if (input.to.length === 0 || input.to.length > RECIPIENTS_PER_REQUEST_MAX) {
      throw new SmsGatewayError('invalid_request', `give 1 to ${RECIPIENTS_PER_REQUEST_MAX} numbers`);
    }
    const invalid = input.to.find((number) => !INTERNATIONAL_NUMBER.test(number));
    if (invalid !== undefined) {
      throw new SmsGatewayError('invalid_request', `${invalid} is not an international number (+2547…)`);
    }
    if (input.message.length === 0 || input.message.length > SMS_MESSAGE_CHARS_MAX) {
      throw new SmsGatewayError('invalid_request', `a message has 1 to ${SMS_MESSAGE_CHARS_MAX} characters`);
    }
    const form = new URLSearchParams({
      username: this.username,
      to: input.to.join(','),
      message: input.message,
    });
    if (input.from) {
      if (!SENDER_ID.test(input.from)) {
        throw new SmsGatewayError('invalid_request', 'a sender id is 1 to 11 letters, digits or spaces');
      }
      form.set('from', input.from);
    }
    return form.toString();
  }
}

/** Each number we asked for, matched to its entry; a number the gateway left out takes the request's message. */
function resultsFor(numbers: readonly string[], answer: SendSmsResponse): SmsRecipientResult[] {
  const { Message: summary, Recipients: recipients } = answer.SMSMessageData;
  return numbers.map((number) => {
    const entry = recipients.find((recipient) => recipient.number.replace(/\s/g, '') === number);
    if (entry === undefined) {
      return {
        number,
        outcome: classifySmsStatusName(summary),
        statusCode: null,
        status: summary,
        messageId: null,
        cost: null,
      };
    }
    const outcome = classifySmsStatus(entry.statusCode);
    const messageId = entry.messageId && entry.messageId !== 'None' ? entry.messageId : null;
    return {
      number,
      outcome,
      statusCode: entry.statusCode,
      status: entry.status,
      messageId: outcome === 'sent' ? messageId : null,
      cost: entry.cost ?? null,
    };
  });
}
