import { HubError, type ErrorDetail } from '../core/errors/hub-error';

/** One problem in a config or reference-data file. `path` is `connectors[1].secret`, or a CSV column name. */
export interface ConfigProblem extends ErrorDetail {
  /** 1-based; absent when the problem concerns the whole file (unreadable, or a count of problems not shown). */
  readonly line?: number;
}

/**
 * A config or reference-data file the hub cannot start with. The message lists every problem, one per
 * line, as `hub.yaml:14 connectors[1].secret: literal secret; use ${LOCAL_RECEIVER_SECRET}`, so
 * a single run shows all there is to fix.
 */
export class ConfigError extends HubError {
  declare readonly details: readonly ConfigProblem[];

  constructor(
    /** The file as the caller named it. */
    readonly file: string,
    problems: readonly ConfigProblem[],
    options: { readonly cause?: unknown } = {},
  ) {
    const sorted = [...problems].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
    super('config.invalid', sorted.map((p) => formatProblem(file, p)).join('\n'), 'user', { details: sorted, cause: options.cause });
  }
}

export function formatProblem(file: string, problem: ConfigProblem): string {
  const where = problem.line === undefined ? file : `${file}:${problem.line}`;
  return problem.path ? `${where} ${problem.path}: ${problem.message}` : `${where}: ${problem.message}`;
}

/** `['connectors', 1, 'secret']` → `connectors[1].secret`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}
