// Where a command writes: the terminal in `sfmap`, a buffer in tests. Commands return their exit code
// instead of exiting, so they can be called as functions.
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** True when `out` is an interactive terminal (progress bars, no periodic lines). */
  isTTY?: boolean;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  isTTY: process.stdout.isTTY === true,
};
