export * from './algorithm';
export * from './certificate';
export * from './extensions';
export * from './general-names';
export * from './name';
export * from './public-key';
export * from './csr';
