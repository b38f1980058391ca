export * from './transitions';
export * from './transition';
export * from './order-events';
