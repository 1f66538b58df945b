/** The PKI core's public surface: bytes and keys in, plain data and typed errors out. */
export * from './limits';
export * from './pem';
export * from './keys';
export * from './names/subject-input';
export * from './names/distinguished-name';
export * from './names/general-name';
export * from './csr';
export * from './certificate';
export * from './local-ca';
export * from './decode';
export * from './describe';
export * from './export';
export * from './pkcs12';
// chain.ts (the validator's DER and path internals) is left out: its helpers toHex, verifySignature
// and nameToString clash with the names above. Import it directly where needed.
export * from './chain-status';
export * from './names/hostname';
export * from './names/idn';
export * from './names/ip';
export * from './names/match';
export * from './names/constraints';
export * from './names/public-suffix';
export * from './path-validation';
export * from './root-store';
