/**
 * The punycode package ships no types; the page and Node take them from @types/node (its
 * deprecated `punycode` built-in), which the worker's webworker-only build does not load.
 */
declare module 'punycode' {
  export function decode(input: string): string;
  export function encode(input: string): string;
}
