export * from './algorithms';
export * from './generate';
export * from './private-key';
export * from './public-key';
export * from './sign';
export * from './legacy-verify';
export { sha256Hex } from '../asn1';
