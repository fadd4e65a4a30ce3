import { pino, type Logger } from 'pino';

/** Structured JSON logs; credentials and tokens are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: ['req.headers.authorization', 'req.headers["x-esri-authorization"]', '*.password', '*.token'],
  });
}
