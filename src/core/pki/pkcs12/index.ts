export { importPkcs12, isPkcs12, type Pkcs12Contents } from './container';
export { exportPkcs12, type Pkcs12ExportInput } from './export';
export type { Pkcs12Bag } from './bags';
export type { Pkcs12Preset } from './pbes';
export { WorkBudget } from './budget';
export { decryptPrivateKeyInfo, encryptPrivateKeyInfo, encryptedPrivateKeyWork, isPrivateKeyInfo, type EncryptPrivateKeyOptions } from './pkcs8';
