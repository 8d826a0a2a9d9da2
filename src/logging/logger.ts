import type { Writable } from 'node:stream';
import winston from 'winston';
import { isSecretKey, REDACTED, redact, redactText } from './redact.js';

export type Logger = winston.Logger;

/** winston's npm levels, most to least severe. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  readonly level: LogLevel;
  /** Where lines go; stdout in the operator, a buffer in tests. */
  readonly stream: Writable;
  /** Fields on every event, e.g. { component: 'kmesos', replica: POD_NAME }. */
  readonly defaultMeta?: Readonly<Record<string, unknown>>;
  /** The time stamped on events; injected so tests get fixed output. */
  readonly now?: () => Date;
}

export function isLogLevel(level: string): level is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(level);
}

/**
 * Replaces secrets in every field of the event, the message included. winston keeps its
 * own bookkeeping under symbol keys, which Object.entries skips and which stay untouched.
 */
const redactSecrets = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level') continue;
    info[key] = isSecretKey(key)
      ? REDACTED
      : key === 'message'
        ? redactMessage(info[key])
        : redact(info[key]);
  }
  return info;
});

function redactMessage(message: unknown): unknown {
  return typeof message === 'string' ? redactText(message) : redact(message);
}

/**
 * A JSON logger: one object per line with timestamp, level, message and the metadata
 * passed (namespace, name, framework, task, node, ...). Make one in main and pass it (or
 * its `.child({ component })`) to whoever logs.
 */
export function createLogger(options: LoggerOptions): Logger {
  const now = options.now ?? ((): Date => new Date());
  return winston.createLogger({
    level: options.level,
    levels: winston.config.npm.levels,
    defaultMeta: options.defaultMeta ? { ...options.defaultMeta } : undefined,
    format: winston.format.combine(
      winston.format.errors({ stack: true }),
      winston.format.timestamp({ format: () => now().toISOString() }),
      redactSecrets(),
      winston.format.json(),
    ),
    transports: [new winston.transports.Stream({ stream: options.stream })],
    exitOnError: false,
  });
}

/** The usual fields for a Kubernetes object: { namespace, name } (namespace left out when cluster-scoped). */
export function objectFields(obj: {
  metadata?: { namespace?: string; name?: string };
}): Record<string, string> {
  const fields: Record<string, string> = {};
  if (obj.metadata?.namespace) fields.namespace = obj.metadata.namespace;
  if (obj.metadata?.name) fields.name = obj.metadata.name;
  return fields;
}
