import pino, { type Logger } from 'pino';

/** The root logger: JSON lines on stdout, one per event, ids bound by child loggers. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'order-hub' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
