/** The PKI core's public surface: bytes and keys in, plain data and typed errors out. */
export * from './limits';
export * from './pem';
export * from './keys';
export * from './names';
export * from './csr';
export * from './certificate';
export * from './local-ca';
export * from './decode';
export * from './describe';
export * from './export';
export * from './pkcs12';
export { encryptPrivateKeyInfo, decryptPrivateKeyInfo } from './pbe';
export * from './validation/chain-status';
export * from './hostname';
export * from './name-constraints';
export * from './validation/path-validation';
export * from './validation/root-store';
