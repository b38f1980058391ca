export * from './money';
export * from './order.schema';
export * from './order.types';
export * from './order.json-schema';
export * from './totals';
export * from './content-hash';
