/**
 * A real small filesystem for the browser profile: a tmpfs of a few megabytes, where a large
 * write fills the disk the way it does on an admin's nearly full laptop (quota APIs cannot
 * reproduce what Chromium does then). Mounting needs root, as in CI (.ci/run runs as root);
 * elsewhere CERTDESK_SMALL_DISK may name a small filesystem mounted beforehand.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  /** The mounted directory, or undefined when none could be had (see `reason`). */
  dir: string | undefined;
  reason: string;
  release(): void;
}

export function smallDisk(megabytes: number): SmallDisk {
  const given = process.env.CERTDESK_SMALL_DISK;
  if (given) return { dir: given, reason: `CERTDESK_SMALL_DISK=${given}`, release: () => undefined };
  if (process.getuid?.() !== 0) {
    return { dir: undefined, reason: 'mounting a tmpfs needs root (CI runs as root); set CERTDESK_SMALL_DISK to a small mounted filesystem to run this here', release: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-small-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { dir: undefined, reason: `mount -t tmpfs failed: ${mounted.stderr.trim() || mounted.error?.message}`, release: () => undefined };
  }
  return {
    dir,
    reason: `a ${megabytes} MB tmpfs at ${dir}`,
    release() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
