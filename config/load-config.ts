import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Scalar } from 'yaml';
import type { z } from 'zod';
import { ConfigError, formatPath } from './config.error';
import { interpolate, type Env } from './env';
import { hubConfigSchema, type HubConfig } from './hub.schema';
import { walkConfig, type WalkProblem } from './schema-walk';
import { keyOf, locate, startOf } from './yaml-location';

/**
 * Reads hub.yaml. Relative paths inside it stay as written and are resolved against the process's
 * working directory, not the file's folder (see config/reference.md).
 * @throws ConfigError listing every problem as `file:line key.path: message`
 */
export function loadConfig(file: string, env: Env = process.env): HubConfig {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(file, [{ path: '', message: `cannot read: ${(cause as Error).message}` }], { cause });
  }
  return parseConfig(source, file, env);
}

/** @param fileName used in messages only */
export function parseConfig(source: string, fileName: string, env: Env = process.env): HubConfig {
  const lineCounter = new LineCounter();
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line;
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      fileName,
      doc.errors.map((error) => ({ path: '', message: error.message.split('\n')[0] ?? error.code, line: lineAt(error.pos[0]) })),
    );
  }

  const { fromEnv, problems: envProblems } = interpolateScalars(doc, env);
  const walkProblems = walkConfig(doc, hubConfigSchema, fromEnv);
  const result = hubConfigSchema.safeParse(doc.toJS() ?? {});

  // A value whose variable is missing is already reported; other complaints about the placeholder would be noise.
  const unresolved = new Set(envProblems.map((problem) => formatPath(problem.path)));
  const issues = result.success ? [] : result.error.issues.flatMap((issue) => issueProblems(doc, issue));
  const problems = [...envProblems, ...[...walkProblems, ...issues].filter((problem) => !unresolved.has(formatPath(problem.path)))];
  if (problems.length > 0 || !result.success) {
    throw new ConfigError(fileName, problems.map((p) => ({ path: formatPath(p.path), message: p.message, line: lineAt(p.offset) })));
  }
  return result.data;
}

/** Substitutes `${VAR}` in every string value (keys stay as written) and remembers which scalars it changed. */
function interpolateScalars(doc: Document, env: Env): { fromEnv: Set<Scalar>; problems: WalkProblem[] } {
  const fromEnv = new Set<Scalar>();
  const problems: WalkProblem[] = [];
  const visit = (node: unknown, path: readonly PropertyKey[]): void => {
    if (isScalar(node) && typeof node.value === 'string') {
      const result = interpolate(node.value, env);
      if (!result.ok) problems.push(...result.errors.map((message) => ({ path, message, offset: startOf(node) })));
      else {
        node.value = result.value;
        if (result.fromEnv) fromEnv.add(node);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...path, i]));
    else if (isMap(node)) for (const pair of node.items) visit(pair.value, [...path, keyOf(pair.key)]);
  };
  visit(doc.contents, []);
  return { fromEnv, problems };
}

function issueProblems(doc: Document, issue: z.core.$ZodIssue): WalkProblem[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const path = [...issue.path, key];
      return { path, message: `unknown key "${key}"`, offset: locate(doc, path).offset };
    });
  }
  const { offset, complete } = locate(doc, issue.path);
  const message = !complete && issue.code === 'invalid_type' ? `required (expected ${issue.expected})` : issue.message;
  return [{ path: issue.path, message, offset }];
}
