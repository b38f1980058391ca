import { z } from 'zod';
import { nonNegativeDecimal } from '../order/order.schema';

const severity = z.enum(['error', 'warning']);
const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/**
 * Thresholds of the intake checks, from `rules:` in hub.yaml. Defaults follow the business guides
 * in shared/seeds: the required fields are those the intake review asks for (customer, product
 * model, quantity, delivery date, payment terms).
 */
export const ruleSettingsSchema = z.object({
  required: z
    .object({
      fields: z
        .array(z.string())
        .default(['customer.name', 'lines[].sku', 'lines[].quantity', 'requestedDeliveryDate', 'paymentTerms'])
        .meta({ description: 'Field paths that must be present and non-empty; `lines[].x` checks every line.' }),
      severity: severity.default('error'),
    })
    .prefault({}),
  duplicate: z
    .object({
      enabled: z.boolean().default(true),
      samePoNumber: severity.default('error').meta({ description: 'Same customer and PO number as a live order.' }),
      sameContent: severity.default('warning').meta({ description: 'Same customer and identical lines/dates as a live order.' }),
    })
    .prefault({}),
  delivery: z
    .object({
      leadTimeDays: z.number().int().nonnegative().default(7).meta({ description: 'Working days needed between intake and delivery.' }),
      weekend: z
        .array(weekday)
        .refine((days) => new Set(days).size < weekday.options.length, 'at least one weekday must be a working day')
        .default(['sat', 'sun'])
        .meta({ description: 'Non-working weekdays; the calendar adds holidays and worked weekend days.' }),
      defaultDailyCapacity: nonNegativeDecimal.optional().meta({ description: 'Units deliverable per day where no capacity was loaded for the day; unset means unlimited.' }),
      maxHorizonDays: z.number().int().positive().default(730).meta({ description: 'A requested date further out than this many days is taken as a typo (error).' }),
      severity: severity.default('warning'),
    })
    .prefault({}),
  stock: z
    .object({
      enabled: z.boolean().default(true),
      shortage: severity.default('warning').meta({ description: 'Ordered quantity above available-to-promise.' }),
      unknownSku: severity.default('error').meta({ description: 'SKU absent from inventory.' }),
    })
    .prefault({}),
  price: z
    .object({
      enabled: z.boolean().default(true),
      tolerancePct: nonNegativeDecimal.default('2').meta({ description: 'Allowed deviation from the price list, in percent.' }),
      outOfTolerance: severity.default('warning'),
      missingPrice: severity.default('warning').meta({ description: 'SKU with no price-list entry in the order currency.' }),
    })
    .prefault({}),
  review: z
    .object({
      onWarning: z
        .array(z.string())
        .min(1, 'an order with warnings needs at least one role to review it')
        .default(['sales'])
        .meta({ description: 'Roles that must all approve any order with warnings (会签); without one such an order could never be confirmed.' }),
      byRule: z
        .record(z.string(), z.array(z.string()))
        .default({ price: ['finance'], stock: ['production'], 'delivery-date': ['production'] })
        .meta({ description: 'Extra roles that must approve when a given rule warns.' }),
    })
    .prefault({}),
});

export type RuleSettings = z.output<typeof ruleSettingsSchema>;
