// A problem in a mapping file, located the way editors and compilers report them.

export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export const formatProblem = (p: Problem) => `${p.file}:${p.line}:${p.col}: ${p.message}`;

/** Thrown where a whole file or set cannot be used; carries every problem found. */
export class MappingLoadError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}
