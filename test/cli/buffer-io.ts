// An Io that keeps what a command printed, for assertions; plus a scratch copy of the shipped mappings.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io } from '../../src/cli/io.js';

export function bufferIo(): { io: Io; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l) => out.push(l), err: (l) => err.push(l), isTTY: false }, out, err };
}

export const SHIPPED_MAPPINGS = fileURLToPath(new URL('../../mappings/', import.meta.url));

/** A fresh copy of mappings/ that a test may edit; the real folder is never touched. */
export function scratchMappings(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sfmap-mappings-'));
  cpSync(SHIPPED_MAPPINGS, dir, { recursive: true });
  return dir;
}
