// The one structured logger (pino); secrets and passwords are never logged.
import pino from 'pino';

export function createLogger(level: string): pino.Logger {
  return pino({
    level,
    base: { service: 'kiunga' },
    redact: {
      paths: ['*.password', '*.secret', '*.passwordHash', 'password', 'secret'],
      censor: '[redacted]',
    },
  });
}
