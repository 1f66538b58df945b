/**
 * A key pair living on one appliance. The key material is the PKI core's CertdeskKey
 * (src/core/pki/keys/generate.ts): a non-extractable private CryptoKey that signs, and for an
 * exportable key its PKCS#8 wrapped with AES-GCM under a non-extractable wrapping key. All of it
 * is structured-cloneable, so IndexedDB stores it as is and it still signs after a reload.
 */
import type { CertdeskKey } from '../pki/keys';

/** A key's material is the PKI core's key: one declaration, so the two cannot drift apart. */
export type KeyMaterial = CertdeskKey;

/** A stored key: its material plus where it lives and what the admin calls it. */
export interface KeyEntry<K extends KeyMaterial = KeyMaterial> {
  id: string;
  applianceId: string;
  friendlyName: string;
  createdAt: number;
  key: K;
}
