/**
 * `${VAR}` and `${VAR:-default}` in config strings, as in docker compose and the shell: the default
 * applies when VAR is unset or empty; `$${` stands for a literal `${`. References do not nest and a
 * default cannot contain `}`.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export type Interpolation =
  | {
      readonly ok: true;
      readonly value: string;
      /** True when at least one `${…}` was substituted: the loader's proof that a secret came from the environment. */
      readonly fromEnv: boolean;
    }
  | { readonly ok: false; readonly errors: readonly string[] };

/** Escape, a closed reference, or an unclosed `${` (tried last, so it only matches without a `}`). */
const TOKEN = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

export function interpolate(text: string, env: Env): Interpolation {
  const errors: string[] = [];
  let fromEnv = false;
  const value = text.replace(TOKEN, (token: string, inner: string | undefined) => {
    if (token === '$${') return '${';
    if (inner === undefined) {
      errors.push('unclosed "${"; write "$${" for a literal "${"');
      return token;
    }
    const match = REFERENCE.exec(inner);
    const name = match?.[1];
    const fallback = match?.[2];
    if (!name || fallback?.includes('${')) {
      errors.push(`bad reference "${token}"; use \${NAME} or \${NAME:-default}`);
      return token;
    }
    fromEnv = true;
    const set = env[name];
    if (fallback !== undefined) return set ? set : fallback;
    if (set === undefined) errors.push(`environment variable ${name} is not set`);
    return set ?? '';
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value, fromEnv };
}
