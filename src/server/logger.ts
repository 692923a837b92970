// One winston logger for the server: JSON lines, one per request at info. Payloads and credentials
// are never logged at info (they hold personal data and secrets).
import winston from 'winston';

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): winston.Logger {
  return winston.createLogger({
    level,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ silent: level === 'silent' })],
  });
}

/** `{ "200": 97, "400": 3 }` — what a request's items came to, for the request's log line. */
export function statusCounts(items: readonly { statusCode: number }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of items) counts[i.statusCode] = (counts[i.statusCode] ?? 0) + 1;
  return counts;
}
