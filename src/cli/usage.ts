import type { ReportFormat } from './report';

/** A mistake in how the CLI was called (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Reads `--format`, which is `text` (default) or `json`. */
export function parseFormat(value: string | undefined): ReportFormat {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  throw new UsageError(`--format must be text or json, not "${value}"`);
}

/** The options `check` and `build` share. */
export const siteOptions = {
  root: { type: 'string' },
  config: { type: 'string' },
  format: { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const;
