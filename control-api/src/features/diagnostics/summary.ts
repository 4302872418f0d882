// A diagnosis in words a person acts on: "Rejected 3 times since 14:02: device limit reached. 2 of 2
// devices online: aa:…, bb:…" (issue 12). Pure: times are formatted in the ISP's zone (Nairobi).
import type { Diagnosis } from './service';

const timeOfDayFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Africa/Nairobi',
  hour: '2-digit',
  minute: '2-digit',
});

/** What the reject codes mean, said short for a sentence (the catalogue's message is for the client). */
const REASON_WORDS: Record<string, string> = {
  invalid_credentials: 'wrong username or password, or no such voucher or account',
  voucher_expired: 'the voucher has expired',
  voucher_revoked: 'the voucher was cancelled',
  device_limit_reached: 'device limit reached',
  session_limit_reached: 'already online on another device',
  mac_address_mismatch: 'the account is bound to another device (MAC address)',
  data_cap_reached: 'the data allowance is used up',
  account_expired: 'the subscription has expired (unpaid)',
  account_suspended: 'the account is suspended',
  unsupported_authentication: 'the router uses an authentication method Kiunga does not support',
};

function reasonInWords(code: string | undefined): string {
  if (code === undefined) return 'no reason given';
  return REASON_WORDS[code] ?? code.replaceAll('_', ' ');
}

/** The sentences, most useful first: the latest outcome and its streak, then devices, then billing. */
export function summarizeDiagnosis(diagnosis: Diagnosis): string[] {
  const lines: string[] = [];
  if (diagnosis.subject === null) {
    lines.push('No voucher or subscriber has this name: the router sent it, but nothing in Kiunga matches.');
  } else if (diagnosis.subject.status !== 'active' && diagnosis.subject.status !== 'unused') {
    lines.push(`This ${diagnosis.subject.kind} is ${diagnosis.subject.status}.`);
  }
  lines.push(decisionSentence(diagnosis.decisions));
  const online = diagnosis.sessions.filter((session) => session.status === 'open');
  if (diagnosis.deviceSlots !== null) {
    const devices = online.map((session) => session.callingStationId || session.username);
    const list = devices.length === 0 ? '' : `: ${devices.join(', ')}`;
    lines.push(`${diagnosis.deviceSlots.used} of ${diagnosis.deviceSlots.limit} devices online${list}.`);
  }
  if (diagnosis.billing !== undefined && diagnosis.billing.overdueCents > 0) {
    lines.push(`Owes KES ${(diagnosis.billing.overdueCents / 100).toFixed(2)} overdue.`);
  }
  return lines;
}

function decisionSentence(decisions: Diagnosis['decisions']): string {
  const latest = decisions[0];
  if (latest === undefined) return 'No login attempt in the last 30 days.';
  const streakEnd = decisions.findIndex((decision) => decision.result !== latest.result);
  const streak = streakEnd === -1 ? decisions : decisions.slice(0, streakEnd);
  const count = streak.reduce((total, decision) => total + decision.count, 0);
  const since = timeOfDayFormat.format(new Date(streak.at(-1)?.at ?? latest.at));
  const times = count === 1 ? 'once' : `${count} times`;
  if (latest.result === 'accept') return `Accepted ${times} since ${since}: the last login worked.`;
  return `Rejected ${times} since ${since}: ${reasonInWords(latest.reason?.code)}.`;
}
