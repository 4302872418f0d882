// What the portal tells a client about a voucher code: valid or not, time left, devices in use.
import { messageFor, type SqlDatabase } from '@kiunga/schemas';
import type { ApiDependencies } from '../kernel/dependencies';

interface VoucherFacts {
  id: string;
  status: string;
  validitySeconds: number;
  deviceLimit: number;
  expiresAt: number | null;
}

export interface VoucherStatus {
  canConnect: boolean;
  message: string;
}

function formatDuration(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}${hours > 0 ? ` ${hours} h` : ''}`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${Math.max(1, minutes)} min`;
}

export async function describeVoucher(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  code: string,
): Promise<VoucherStatus> {
  const voucher = await database.get<VoucherFacts>(
    `SELECT id, status, validity_seconds AS "validitySeconds", device_limit AS "deviceLimit",
            expires_at AS "expiresAt"
       FROM vouchers WHERE code = ?`,
    [code],
  );
  if (!voucher) return { canConnect: false, message: 'This code is not valid here. Check it and try again.' };
  if (voucher.status === 'revoked') return { canConnect: false, message: messageFor('voucher_revoked') };
  const nowMs = dependencies.clock.now();
  if (voucher.status === 'expired' || (voucher.expiresAt !== null && voucher.expiresAt <= nowMs)) {
    return { canConnect: false, message: messageFor('voucher_expired') };
  }
  const devicesInUse = (await dependencies.aaa.devicesOfSubject(tenantId, 'voucher', voucher.id)).length;
  const devices = `${devicesInUse} of ${voucher.deviceLimit} device${voucher.deviceLimit === 1 ? '' : 's'} in use`;
  if (voucher.expiresAt === null) {
    return {
      canConnect: true,
      message: `Unused voucher: ${formatDuration(voucher.validitySeconds)} from the first login. ${devices}.`,
    };
  }
  const remaining = formatDuration(Math.ceil((voucher.expiresAt - nowMs) / 1000));
  if (devicesInUse >= voucher.deviceLimit) {
    // This device may be one of them (a re-login); the RADIUS server decides, the page only warns.
    return {
      canConnect: true,
      message: `${remaining} left; ${devices}. A new device needs another one logged out first.`,
    };
  }
  return { canConnect: true, message: `${remaining} left. ${devices}.` };
}
