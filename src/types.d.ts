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

/** The punycode package (RFC 3492): what names/idn.ts uses. Node's own types declare the same module for Node. */
declare module 'punycode' {
  export function decode(input: string): string;
  export function encode(input: string): string;
}
