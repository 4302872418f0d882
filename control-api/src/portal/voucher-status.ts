// What the portal tells a client about a voucher code: valid or not, time left, devices in use.
import type { SqlDatabase } from '@kiunga/schemas';
import { errorMessage, type Language, t, tCount } from '../i18n';
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

/** A duration as the portal words it: days and hours, hours and minutes, or minutes (at least 1). */
export function formatDuration(language: Language, seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) {
    return hours > 0
      ? tCount(language, 'duration.daysHours', days, { hours })
      : tCount(language, 'duration.days', days);
  }
  if (hours > 0)
    return minutes > 0
      ? t(language, 'duration.hoursMinutes', { hours, minutes })
      : t(language, 'duration.hours', { hours });
  return t(language, 'duration.minutes', { minutes: Math.max(1, minutes) });
}

export async function describeVoucher(
  dependencies: ApiDependencies,
  tenantId: string,
  database: SqlDatabase,
  code: string,
  language: Language,
): Promise<VoucherStatus> {
  const voucher = await database.get<VoucherFacts>(
    `SELECT id, status, validity_seconds AS "validitySeconds", device_limit AS "deviceLimit",
            expires_at AS "expiresAt"
       FROM vouchers WHERE code = ?`,
    [code],
  );
  if (!voucher) return { canConnect: false, message: t(language, 'portal.voucherStatus.invalid') };
  if (voucher.status === 'revoked')
    return { canConnect: false, message: errorMessage(language, 'voucher_revoked') };
  const nowMs = dependencies.clock.now();
  if (voucher.status === 'expired' || (voucher.expiresAt !== null && voucher.expiresAt <= nowMs)) {
    return { canConnect: false, message: errorMessage(language, 'voucher_expired') };
  }
  const devicesInUse = (await dependencies.aaa.devicesOfSubject(tenantId, 'voucher', voucher.id)).length;
  const devices = tCount(language, 'portal.voucherStatus.devicesInUse', voucher.deviceLimit, {
    inUse: devicesInUse,
  });
  if (voucher.expiresAt === null) {
    return {
      canConnect: true,
      message: t(language, 'portal.voucherStatus.unused', {
        duration: formatDuration(language, voucher.validitySeconds),
        devices,
      }),
    };
  }
  const remaining = formatDuration(language, Math.ceil((voucher.expiresAt - nowMs) / 1000));
  if (devicesInUse >= voucher.deviceLimit) {
    // This device may be one of them (a re-login); the RADIUS server decides, the page only warns.
    return {
      canConnect: true,
      message: t(language, 'portal.voucherStatus.leftAllDevicesUsed', { remaining, devices }),
    };
  }
  return { canConnect: true, message: t(language, 'portal.voucherStatus.left', { remaining, devices }) };
}
