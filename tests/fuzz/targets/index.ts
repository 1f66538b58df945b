import type { Target } from '../target';
import { backup } from './backup';
import { certificate } from './certificate';
import { csr } from './csr';
import { decoder } from './decoder';
import { pem } from './pem';
import { pkcs12 } from './pkcs12';

/** Every fuzz target, by name (`npm run fuzz -- NAME`). */
export const targets: Readonly<Record<string, Target>> = { decoder, certificate, pkcs12, pem, csr, backup };
