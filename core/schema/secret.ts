import { z } from 'zod';

/**
 * A config field that holds a secret. The config loader refuses a literal value for it and asks
 * for `${VAR}` instead, so secrets reach the hub only through the environment.
 */
export function secret(description: string) {
  return z.string().min(1).meta({ description: `${description} Secret: give it as \${VAR}.`, secret: true });
}

export function isSecretSchema(schema: z.ZodType): boolean {
  return z.globalRegistry.get(schema)?.secret === true;
}
