/**
 * Draws the app icons (a certificate with a seal on the accent colour) into public/icons.
 * Run with `npx tsx src/pwa/generate-icons.ts` after changing the design; the PNGs are committed.
 * A tiny rasteriser keeps the build free of native image tooling.
 */
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Rgba = [number, number, number, number];
const accent: Rgba = [0x1d, 0x4e, 0x89, 255];
const paper: Rgba = [0xff, 0xff, 0xff, 255];
const line: Rgba = [0x9d, 0xb4, 0xcf, 255];
const seal: Rgba = [0xf0, 0xa2, 0x02, 255];

/** The design in unit coordinates (0..1); `inset` shrinks it into the maskable safe zone. */
function colourAt(x: number, y: number, maskable: boolean): Rgba | undefined {
  const inset = maskable ? 0.16 : 0;
  const u = (x - inset) / (1 - 2 * inset);
  const v = (y - inset) / (1 - 2 * inset);
  const inRoundRect = (x0: number, y0: number, x1: number, y1: number, r: number, px: number, py: number) => {
    const cx = Math.min(Math.max(px, x0 + r), x1 - r);
    const cy = Math.min(Math.max(py, y0 + r), y1 - r);
    return px >= x0 && px <= x1 && py >= y0 && py <= y1 && (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
  };
  if (!maskable && !inRoundRect(0, 0, 1, 1, 0.18, x, y)) return undefined;
  const sealD = Math.hypot(u - 0.68, v - 0.7);
  if (sealD <= 0.15) return sealD <= 0.1 ? seal : paper;
  if (inRoundRect(0.2, 0.16, 0.8, 0.84, 0.04, u, v)) {
    for (const ly of [0.3, 0.4, 0.5]) {
      if (v >= ly && v <= ly + 0.035 && u >= 0.3 && u <= (ly === 0.5 ? 0.55 : 0.7)) return line;
    }
    return paper;
  }
  return accent;
}

function crc32(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

function png(size: number, maskable: boolean): Buffer {
  const samples = 4;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let py = 0; py < size; py++) {
    raw[py * (size * 4 + 1)] = 0;
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = colourAt((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size, maskable);
          if (!c) continue;
          for (let i = 0; i < 3; i++) sum[i]! += c[i]! * c[3];
          sum[3]! += c[3];
        }
      }
      const offset = py * (size * 4 + 1) + 1 + px * 4;
      const alpha = sum[3]! / (samples * samples);
      for (let i = 0; i < 3; i++) raw[offset + i] = sum[3] ? Math.round(sum[i]! / sum[3]!) : 0;
      raw[offset + 3] = Math.round(alpha);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]);
}

const dir = fileURLToPath(new URL('../../public/icons/', import.meta.url));
writeFileSync(dir + 'icon-192.png', png(192, false));
writeFileSync(dir + 'icon-512.png', png(512, false));
writeFileSync(dir + 'icon-maskable-512.png', png(512, true));
console.log('icons written to', dir);
