import { z } from 'zod';

/**
 * How hard the pipeline may push one target: fields spread into every target connector's config so
 * they read the same in hub.yaml whatever the partner. ERPs in particular serialise document saves
 * and count API calls, so these matter more there than the defaults suggest.
 */
export const deliveryLimits = {
  concurrency: z.number().int().positive().default(4).meta({ description: 'Deliveries in flight at once to this target.' }),
  rateLimit: z
    .object({
      max: z.number().int().positive().meta({ description: 'Deliveries started per window.' }),
      durationMs: z.number().int().positive().meta({ description: 'Window length in ms.' }),
    })
    .optional()
    .meta({ description: "Caps deliveries per time window, for partners that limit API calls; unset, only the partner's 429s slow the pipeline." }),
};

/** Per-request deadline shared by target connectors: each partner call of an attempt gets this long. */
export const requestTimeoutMs = z.number().int().positive().default(15_000).meta({ description: 'Timeout of each partner request in ms (login, lookup and create each get this long).' });
