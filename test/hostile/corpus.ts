// The hostile corpus: requests a hostile or careless client sends. Each names what the server must
// answer (a clear 4xx for the request, or per event), shared by the test suite and
// bench/sections/hostile.ts.
import { MAX_PAD_WIDTH } from '../../src/mapping/jsonata-engine.js';

export interface HostileCase {
  name: string;
  path: '/transform' | '/playground/run';
  body: string;
  /** HTTP status of the answer. */
  status: number;
  /** For /transform answered 200: each item's statusCode and what its error must say. */
  items?: { statusCode: number; error?: RegExp }[];
  /** For a refused request, or the playground: the message (error.message, or results[0].error, or problems). */
  says?: RegExp;
}

const track = (properties: Record<string, unknown> = {}) => ({
  type: 'track',
  event: 'Hostile',
  properties,
  integrations: { Salesforce: true },
});
/** One event whose destination carries an inline rule with `Subject: expr`. */
export const inlineItem = (expr: string, jobId = 1, properties: Record<string, unknown> = {}) => ({
  message: track(properties),
  metadata: { jobId },
  destination: {
    Config: {
      mappings: [
        { name: 'hostile', when: 'type = "track"', object: 'Case', operation: 'create', fields: { Subject: expr } },
      ],
    },
  },
});
const items = (...list: unknown[]) => JSON.stringify(list);
const one = (
  expr: string,
  error: RegExp,
  properties?: Record<string, unknown>,
): Pick<HostileCase, 'path' | 'body' | 'status' | 'items'> => ({
  path: '/transform',
  body: items(inlineItem(expr, 1, properties)),
  status: 200,
  items: [{ statusCode: 400, error }],
});
const place = /mapping hostile, fields\.Subject/;
const and = (a: RegExp, b: RegExp) => new RegExp(`${a.source}.*${b.source}`, 's');
/** Any of the sandbox's bounds: which one a bomb hits first depends on the machine. */
const stopped =
  /exceeded 64 MB of memory|exceeded 200 ms and was stopped|took longer than \d+ ms and was stopped|refused: this expression was stopped/;
const doubling = (n: number) => `$reduce([1..${n}], function($a, $i){ $a & $a }, "x")`;

export const hostileCorpus: HostileCase[] = [
  // JSONata that once aborted the process or blocked the event loop (issue 9's findings).
  {
    name: '$substring of a 140M-character $pad',
    ...one(
      '$substring($pad("", 140000000), 0, 3)',
      and(place, new RegExp(`\\$pad width 140000000 is beyond the limit of ${MAX_PAD_WIDTH}`)),
    ),
  },
  { name: '$length of a 140M-character $pad', ...one('$length($pad("", 140000000))', and(place, /\$pad width/)) },
  { name: '$length of a 134M-character doubled string', ...one(`$length(${doubling(27)})`, and(place, stopped)) },
  { name: 'unbounded recursion', ...one('($f := function($n){ $f($n + 1) }; $f(1))', place) },
  { name: 'a 100M-element range', ...one('$count([1..100000000])', place) },
  {
    name: 'a regex with a backreference',
    ...one('$match(properties.s, /(a+)\\1/)', /fields\.Subject: regular expression .* is not supported/),
  },
  { name: 'a regex with lookahead', ...one('$match(properties.s, /a(?=b)/)', /not supported/) },
  {
    // $distinct is quadratic in one native step: only the sandbox's kill stops it. Two strikes, then refused.
    name: '100 events repeating a runaway expression in one request',
    path: '/transform',
    body: items(...Array.from({ length: 100 }, (_, i) => inlineItem('$distinct([1..99999])', i))),
    status: 200,
    items: Array.from({ length: 100 }, () => ({ statusCode: 400, error: stopped })),
  },
  // Inline rules beyond the operator's limits.
  {
    name: 'an inline rule with a 1 MB description',
    path: '/transform',
    body: items({
      ...inlineItem('"x"'),
      destination: {
        Config: {
          mappings: [
            {
              name: 'big',
              description: 'd'.repeat(1024 * 1024),
              when: 'true',
              object: 'Case',
              operation: 'create',
              fields: { Subject: '"x"' },
            },
          ],
        },
      },
    }),
    status: 200,
    items: [
      {
        statusCode: 400,
        error: /mappings\[0\]: the inline rule is \d+ bytes, more than \d+ \(MAX_INLINE_RULE_BYTES\)/,
      },
    ],
  },
  {
    name: '50 inline rules in one Config',
    path: '/transform',
    body: items({
      ...inlineItem('"x"'),
      destination: {
        Config: {
          mappings: Array.from({ length: 50 }, (_, i) => ({
            name: `r${i}`,
            when: 'true',
            object: 'Case',
            operation: 'create',
            fields: { Subject: '"x"' },
          })),
        },
      },
    }),
    status: 200,
    items: [{ statusCode: 400, error: /more than 20 inline rules \(MAX_INLINE_RULES\)/ }],
  },
  {
    name: 'a JSONata expression nested 5,000 parentheses deep',
    ...one(`${'('.repeat(5000)}1${')'.repeat(5000)}`, /./),
  },
  // Bodies.
  {
    name: 'valid JSON that is not an array',
    path: '/transform',
    body: '"hello"',
    status: 400,
    says: /must be a JSON array/,
  },
  { name: 'malformed JSON', path: '/transform', body: '[{"message": ', status: 400, says: /not valid JSON/ },
  {
    name: 'nesting 500 levels deep',
    path: '/transform',
    body: `[{"message":{"type":"identify","traits":${'{"a":'.repeat(500)}1${'}'.repeat(500)}}}]`,
    status: 400,
    says: /nests deeper than/,
  },
  {
    name: 'a 6 MB body',
    path: '/transform',
    body: items({ message: track({ blob: 'x'.repeat(6 * 1024 * 1024) }) }),
    status: 413,
    says: /larger than/,
  },
  {
    name: 'type: 5',
    path: '/transform',
    body: items({ message: { type: 5 } }),
    status: 200,
    items: [{ statusCode: 400, error: /message\.type must be a string/ }],
  },
  {
    name: '__proto__ in traits and metadata',
    path: '/transform',
    body: '[{"message":{"type":"identify","traits":{"email":"p@example.com","__proto__":{"polluted":1}},"integrations":{"Salesforce":true}},"metadata":{"__proto__":{"polluted":1}}}]',
    status: 200,
    items: [{ statusCode: 200 }],
  },
  // The playground runs the same bounded evaluator.
  {
    name: 'the playground with a 140M-character $pad',
    path: '/playground/run',
    body: JSON.stringify({
      mapping:
        'name: p\nwhen: type = "track"\nobject: Case\noperation: create\nfields:\n  Subject: $substring($pad("", 140000000), 0, 3)\n',
      event: track(),
    }),
    status: 200,
    says: /\$pad width 140000000 is beyond the limit/,
  },
  {
    name: 'the playground with a memory bomb',
    path: '/playground/run',
    body: JSON.stringify({
      mapping: `name: p\nwhen: type = "track"\nobject: Case\noperation: create\nfields:\n  Subject: '$length(${doubling(27)})'\n`,
      event: track(),
    }),
    status: 200,
    says: stopped,
  },
  {
    name: 'the playground with an alias bomb',
    path: '/playground/run',
    body: JSON.stringify({
      mapping: [
        'name: bomb',
        'a: &a ["x","x"]',
        ...Array.from(
          { length: 25 },
          (_, i) => `a${i}: &a${i} [*${i ? `a${i - 1}` : 'a'}, *${i ? `a${i - 1}` : 'a'}, *${i ? `a${i - 1}` : 'a'}]`,
        ),
      ].join('\n'),
      event: track(),
    }),
    status: 200,
    says: /YAML: .*alias/i,
  },
];

/** The message a case's answer carries, for `says`. */
export function answerText(body: unknown): string {
  const b = body as { error?: { message?: string }; results?: { error?: string }[]; problems?: { message: string }[] };
  return [b.error?.message, ...(b.results ?? []).map((r) => r.error), ...(b.problems ?? []).map((p) => p.message)]
    .filter(Boolean)
    .join('\n');
}
