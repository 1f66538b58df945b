export * from './bytes';
export * from './errors';
export * from './oid';
export * from './reader';
export * from './values';
export * as der from './writer';
