// Mapping folders are edited by people and tools, and may hold anything: FIFOs that block a read
// forever, symlinks to /dev/zero, loops, dangling links, huge files. Only regular files of a
// bounded size are ever read; everything else is a problem for that one path, never a hang or a crash.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** A mapping rule or an object description is a page or two; 1 MB is far beyond any real one. */
export const MAX_MAPPING_FILE_BYTES = Number(process.env.MAX_MAPPING_FILE_BYTES ?? 1024 * 1024);

class NotReadable extends Error {}

/** What `path` is when it cannot be read as a mapping file, else undefined (stat follows links). */
export function notRegularReason(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return undefined;
    if (!st.isFile()) return 'not a regular file';
    if (st.size > MAX_MAPPING_FILE_BYTES) return `larger than ${MAX_MAPPING_FILE_BYTES} bytes`;
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'not a regular file (a dangling link?)';
    if (code === 'ELOOP') return 'not a regular file (a symlink loop)';
    return `cannot read: ${(err as Error).message}`;
  }
}

/**
 * The text of a regular file of at most `max` bytes. Opened non-blocking and checked on the open
 * descriptor, so a path swapped for a FIFO or a device between listing and reading cannot block.
 */
export function readRegularFile(path: string, max = MAX_MAPPING_FILE_BYTES): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new NotReadable(notRegularReason(path) ?? `cannot read: ${(err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotReadable('not a regular file');
    if (st.size > max) throw new NotReadable(`larger than ${max} bytes`);
    // Read at most max + 1 bytes whatever the size said: a file may grow while it is read.
    const buf = Buffer.alloc(Math.min(st.size, max) + 1);
    let n = 0;
    for (;;) {
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
      if (n === buf.length) throw new NotReadable(`larger than ${max} bytes`);
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
