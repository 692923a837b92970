// A child process's JSON log lines, one object per line, as they arrive (a line may span chunks).
import type { Readable } from 'node:stream';

export function onJsonLogLines(
  stream: Readable | null | undefined,
  each: (entry: Record<string, unknown>) => void,
): void {
  let buffered = '';
  stream?.on('data', (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // not a log line
      }
      each(entry);
    }
  });
}
