export * from './hub-error';
export * from './validation.error';
export * from './illegal-transition.error';
export * from './conflict.error';
export * from './not-found.error';
export * from './partner.error';
export * from './signature.error';
