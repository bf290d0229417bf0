// The one pino logger of a Berth process (requests, Nest, the work queue): JSON for machines,
// pretty-printed for a person at a terminal.
import { pino, type Logger } from 'pino';
import prettyStream from 'pino-pretty';
import type { BerthConfig } from '../../config/config.js';

export function createLogger(level: BerthConfig['logLevel'], format: BerthConfig['logFormat'] = 'json'): Logger {
  const options = {
    level,
    base: { service: 'berth' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', '*.token', '*.password', '*.value'], censor: '[REDACTED]' },
  };
  // Pretty for a person at a terminal, JSON otherwise; written synchronously so lines keep their
  // order with what main.ts prints itself (the admin token banner comes last).
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return pino(options, pino.destination({ dest: 1, sync: true }));
  return pino(options, prettyStream({ colorize: process.stdout.isTTY === true, sync: true, ignore: 'pid,hostname,service', translateTime: 'SYS:HH:MM:ss.l' }));
}
