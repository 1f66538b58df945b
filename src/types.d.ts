declare module 'des.js' {
  interface CipherOptions {
    type: 'encrypt' | 'decrypt';
    key: number[] | Uint8Array;
    iv?: number[] | Uint8Array;
    padding?: boolean;
  }
  interface Cipher {
    update(data: number[] | Uint8Array): number[];
    final(data?: number[] | Uint8Array): number[];
  }
  interface Mode {
    create(options: CipherOptions): Cipher;
  }
  export const EDE: Mode & { create(options: CipherOptions): Cipher };
  export const DES: Mode;
  export const CBC: { instantiate(base: Mode): Mode };
}
