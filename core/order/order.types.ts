import type { z } from 'zod';
import type {
  approvalSchema,
  capacityBookingSchema,
  canonicalOrderSchema,
  historyEntrySchema,
  issueSchema,
  orderDraftSchema,
  orderLineSchema,
  orderStatus,
  reservationSchema,
  shipmentSchema,
  totalsSchema,
} from './order.schema';

export type OrderDraft = z.output<typeof orderDraftSchema>;
export type OrderDraftInput = z.input<typeof orderDraftSchema>;
export type OrderLine = z.output<typeof orderLineSchema>;
export type Totals = z.output<typeof totalsSchema>;
export type Issue = z.output<typeof issueSchema>;
export type OrderStatus = z.output<typeof orderStatus>;
export type Approval = z.output<typeof approvalSchema>;
export type Reservation = z.output<typeof reservationSchema>;
export type HistoryEntry = z.output<typeof historyEntrySchema>;
export type CanonicalOrder = z.output<typeof canonicalOrderSchema>;
export type CapacityBooking = z.output<typeof capacityBookingSchema>;
export type Shipment = z.output<typeof shipmentSchema>;
