/**
 * The partner-facing idempotency key is `orderId:event:target` (what the design promises partners);
 * BullMQ job ids may not contain ':', so the delivery's id and job id use '-' and '_'.
 */
export function deliveryIdempotencyKey(orderId: string, event: string, target: string): string {
  return `${orderId}:${event}:${target}`;
}

export function deliveryId(orderId: string, event: string, target: string): string {
  return `${orderId}-${event.replace(/\./g, '_')}-${target}`;
}
