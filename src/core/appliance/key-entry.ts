/**
 * A key pair living on one appliance. The key material has the shape of src/core/pki/keys/generate.ts's
 * CertdeskKey (declared structurally here so the domain does not depend on how keys are made):
 * a non-extractable private CryptoKey that signs, and for an exportable key its PKCS#8 wrapped
 * with AES-GCM under a non-extractable wrapping key. All of it is structured-cloneable, so
 * IndexedDB stores it as is and it still signs after a reload.
 */
import type { ImportedKeyAlgorithmName } from '../pki/keys';

export interface KeyMaterial {
  /** Generated keys have a KeyAlgorithmName (src/core/pki/keys/algorithms.ts); imported RSA keys may have any size ("RSA-2560"). */
  algorithm: ImportedKeyAlgorithmName;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  spki: Uint8Array;
  /** SHA-256 of the SPKI DER, hex: how certificates find their key. */
  publicKeySha256: string;
  exportable: boolean;
  wrapped?: { wrappingKey: CryptoKey; iv: Uint8Array; ciphertext: Uint8Array };
}

/** A stored key: its material plus where it lives and what the admin calls it. */
export interface KeyEntry<K extends KeyMaterial = KeyMaterial> {
  id: string;
  applianceId: string;
  friendlyName: string;
  createdAt: number;
  key: K;
}
