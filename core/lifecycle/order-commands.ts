import { ConflictError, VersionConflictError } from '../errors/conflict.error';
import { NotFoundError } from '../errors/not-found.error';
import type { CanonicalOrder, OrderStatus } from '../order/order.types';
import { approvalState } from '../rules/approvals';
import type { HubStore, OrderWrite } from '../store/store.port';
import { applyTransition, type TransitionResult } from './transition';
import { applyPartnerEvent, type PartnerEvent } from './partner-events';
import { capacityChanges, planCapacity, planReservations, releaseReservations } from './reservations';

export interface ApproveInput {
  readonly orderId: string;
  readonly role: string;
  readonly actor: string;
  readonly decision: 'approved' | 'rejected';
  readonly comment?: string;
}

export interface ChangeStatusInput {
  readonly orderId: string;
  readonly to: OrderStatus;
  readonly actor: string;
  readonly reason?: string;
}

/** Moves only intake may make: a person never marks an order received or checked. */
const SYSTEM_ONLY: readonly OrderStatus[] = ['received', 'checked', 'needs_review'];

/** A concurrent writer (a callback, another reviewer) may win the race; re-read and re-apply. */
const VERSION_RETRIES = 5;

/**
 * What people and partners do to an order after intake: sign a review (会签), hold, resume,
 * cancel, and report fulfilment steps. Each command is one store write of the order, its event
 * and its stock changes, retried on a version conflict.
 */
export class OrderCommands {
  constructor(private readonly store: Pick<HubStore, 'orders' | 'inventory'>, private readonly clock: () => Date = () => new Date()) {}

  approve(input: ApproveInput): Promise<CanonicalOrder> {
    return this.update(input.orderId, async (order, at) => {
      if (order.status !== 'needs_review') throw new ConflictError('review.not_pending', `order ${order.id} is ${order.status}, not waiting for review`);
      const state = approvalState(order);
      if (!state.pendingRoles.includes(input.role)) {
        const why = state.approvedRoles.includes(input.role) ? 'has already approved' : 'is not asked to sign';
        throw new ConflictError('review.role_not_pending', `role ${input.role} ${why} order ${order.id}`, [
          { path: 'role', message: `pending roles: ${state.pendingRoles.join(', ') || 'none'}` },
        ]);
      }
      const signed: CanonicalOrder = {
        ...order,
        approvals: [...order.approvals, { step: 'review', role: input.role, decision: input.decision, actor: input.actor, at, ...(input.comment ? { comment: input.comment } : {}) }],
        history: [...order.history, { at, type: 'approval', actor: input.actor, data: { role: input.role, decision: input.decision, ...(input.comment ? { comment: input.comment } : {}) } }],
      };
      if (input.decision === 'rejected') return this.move(signed, { to: 'rejected', actor: input.actor, at, reason: `rejected in review by ${input.role}` });
      if (approvalState(signed).pendingRoles.length > 0) return { order: signed, write: { events: [] } };
      return this.confirmAfterReview(signed, input.actor, at);
    });
  }

  changeStatus(input: ChangeStatusInput): Promise<CanonicalOrder> {
    return this.update(input.orderId, async (order, at) => {
      const resuming = order.status === 'on_hold' && order.heldFrom === input.to;
      if (SYSTEM_ONLY.includes(input.to) && !resuming) {
        throw new ConflictError('lifecycle.system_only', `only intake moves an order to ${input.to}`, [{ path: 'to', message: 'set by intake' }]);
      }
      if (input.to === 'confirmed' && order.status === 'needs_review') {
        throw new ConflictError('review.pending', `order ${order.id} is confirmed by its reviewers' approvals`, [{ path: 'to', message: 'use POST /approvals' }]);
      }
      const request = { to: input.to, actor: input.actor, at, ...(input.reason ? { reason: input.reason } : {}) };
      if (input.to === 'cancelled' || input.to === 'shipped') return this.moveReleasing(order, request);
      return this.move(order, request);
    });
  }

  /**
   * Applies what a partner reported (tracking, signature, ERP acknowledgement). Returns whether it
   * changed anything: a repeated or stale event is recorded once and moves nothing.
   */
  async applyPartnerEvent(connectorId: string, event: PartnerEvent): Promise<{ order: CanonicalOrder; changed: boolean }> {
    let changed = false;
    const order = await this.update(event.orderId, async (current, at) => {
      const result = applyPartnerEvent(current, event, connectorId, at);
      changed = result.changed;
      return { order: result.order, write: { events: result.events, stock: result.stock } };
    });
    return { order, changed };
  }

  /** Keeps what a partner answered to a delivery on the order: its reference, a carrier's waybill. */
  recordDelivery(input: DeliveryRecord): Promise<CanonicalOrder> {
    return this.update(input.orderId, async (order, at) => {
      const known = order.partnerRefs.some((r) => r.target === input.target && r.event === input.event && r.ref === input.partnerRef);
      const hasShipment = input.shipment && order.shipments.some((s) => s.carrier === input.shipment!.carrier && s.trackingNumber === input.shipment!.trackingNumber);
      const next: CanonicalOrder = {
        ...order,
        ...(input.partnerRef && !known ? { partnerRefs: [...order.partnerRefs, { target: input.target, event: input.event, ref: input.partnerRef, at }] } : {}),
        ...(input.shipment && !hasShipment ? { shipments: [...order.shipments, { ...input.shipment, status: 'created' as const, events: [] }] } : {}),
        history: [...order.history, { at, type: 'delivery', actor: input.target, data: { event: input.event, ...(input.partnerRef ? { partnerRef: input.partnerRef } : {}), ...(input.shipment ? { shipment: input.shipment } : {}) } }],
      };
      return { order: next, write: { events: [] } };
    });
  }

  private async confirmAfterReview(order: CanonicalOrder, actor: string, at: string): Promise<Step> {
    const positions = await this.store.inventory.positions([...new Set(order.lines.map((l) => l.sku))]);
    const plan = planReservations(order, positions, 'available');
    const bookings = planCapacity(order);
    const step = applyTransition(
      { ...order, reservations: plan.reservations, capacityBookings: bookings },
      { to: 'confirmed', actor, at, data: { approvedBy: approvalState(order).approvedRoles, ...(plan.shortfall.length ? { backorder: plan.shortfall } : {}) } },
    );
    return { order: step.order, write: { events: [step.event], stock: plan.stock, capacity: capacityChanges(bookings, 1) } };
  }

  private move(order: CanonicalOrder, request: Parameters<typeof applyTransition>[1]): Step {
    const step: TransitionResult = applyTransition(order, request);
    return { order: step.order, write: { events: [step.event] } };
  }

  /**
   * Cancelling frees the reservation; shipping consumes it (the goods left, and the warehouse's
   * next stock figure no longer counts them). Both free the booked capacity only when cancelled.
   */
  private moveReleasing(order: CanonicalOrder, request: Parameters<typeof applyTransition>[1]): Step {
    const step = applyTransition({ ...order, reservations: [], ...(request.to === 'cancelled' ? { capacityBookings: [] } : {}) }, request);
    return {
      order: step.order,
      write: {
        events: [step.event],
        stock: releaseReservations(order.reservations),
        ...(request.to === 'cancelled' ? { capacity: capacityChanges(order.capacityBookings, -1) } : {}),
      },
    };
  }

  private async update(orderId: string, change: (order: CanonicalOrder, at: string) => Promise<Step>): Promise<CanonicalOrder> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.store.orders.get(orderId);
      if (!order) throw new NotFoundError('order', orderId);
      const step = await change(order, this.clock().toISOString());
      try {
        return await this.store.orders.save(step.order, order.version, step.write);
      } catch (err) {
        if (!(err instanceof VersionConflictError) || attempt >= VERSION_RETRIES) throw err;
      }
    }
  }
}

export interface DeliveryRecord {
  readonly orderId: string;
  readonly target: string;
  readonly event: string;
  readonly partnerRef?: string;
  readonly shipment?: { readonly carrier: string; readonly trackingNumber: string };
}

interface Step {
  readonly order: CanonicalOrder;
  readonly write: OrderWrite;
}
