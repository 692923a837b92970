// Maps a place in a parsed mapping (a JSON path, or an offset inside an expression) back to
// file:line:col, so every error an editor of the file sees points at the right character.
import { isMap, isPair, isScalar, LineCounter, type Document, type Node } from 'yaml';
import type { Problem } from './problem.js';

type Ranged = Node & { range?: [number, number, number] | null };

export class SourceLocator {
  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  at(offset: number, message: string): Problem {
    const pos = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { file: this.file, line: pos.line, col: pos.col, message };
  }

  /** Offset of the node at `path` (a key path into the document); falls back to the nearest parent. */
  offsetOf(path: readonly (string | number)[], key?: string): number {
    for (let n = path.length; n >= 0; n--) {
      const node = (n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true)) as Ranged | null;
      if (!node) continue;
      if (key !== undefined && n === path.length && isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
        const keyNode = pair?.key as Ranged | undefined;
        if (keyNode?.range) return keyNode.range[0];
      }
      if (node.range) return node.range[0];
    }
    return 0;
  }

  atPath(path: readonly (string | number)[], message: string, key?: string): Problem {
    return this.at(this.offsetOf(path, key), message);
  }

  /** Offset of the key itself (`Emial:`), for problems about a name rather than its value. */
  atKey(path: readonly (string | number)[], key: string, message: string): Problem {
    return this.at(this.offsetOf(path, key), message);
  }

  /**
   * Offset of character `inner` of the expression stored at `path`: the scalar's start plus its
   * opening quote, or, for block scalars, where the expression text first appears.
   */
  atExpression(path: readonly (string | number)[], source: string, inner: number, message: string): Problem {
    const node = this.doc.getIn(path, true) as (Ranged & { type?: string }) | undefined;
    let start = node?.range?.[0] ?? this.offsetOf(path);
    if (node && isScalar(node)) {
      if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') start += 1;
      else if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
        const firstLine = source.split('\n')[0];
        const found = this.text.indexOf(firstLine, start);
        if (found >= 0) start = found;
      }
    }
    return this.at(start + inner, message);
  }
}
