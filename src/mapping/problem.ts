// A problem in a mapping file, located the way editors and compilers report them.

export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export const formatProblem = (p: Problem) => `${p.file}:${p.line}:${p.col}: ${p.message}`;
