export * from './algorithms';
export * from './generate';
export * from './private-key';
export { sha256Hex } from '../asn1';
