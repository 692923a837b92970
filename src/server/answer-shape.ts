// How POST /transform writes its operations. `compact` (the default) leaves out each operation's
// `http` descriptors: they repeat every field value two more times (the update body, the create
// body), so the answer was over twice the size of the event, and /proxy plans its own requests
// from the operation anyway. `full` is CONTRACT.md's original shape, `http` included, for a caller
// that delivers operations itself; ask for it with `?answer=full` (or make it the default with
// TRANSFORM_ANSWER=full). /proxy accepts both. Documented in docs/contract-extensions.md.
// The compact answer does not build `http` at all (mapping/build-operation.ts only checks what it
// would refuse, plan/http-steps.ts checkHttpSteps), so both shapes refuse the same events.

const ANSWER_SHAPES = ['compact', 'full'] as const;
export type AnswerShape = (typeof ANSWER_SHAPES)[number];

const isShape = (v: unknown): v is AnswerShape =>
  typeof v === 'string' && (ANSWER_SHAPES as readonly string[]).includes(v);

/** The server's default shape, from TRANSFORM_ANSWER (compact when unset). Read once, at startup. */
export function defaultAnswerShape(env: NodeJS.ProcessEnv = process.env): AnswerShape {
  const v = env.TRANSFORM_ANSWER?.trim();
  if (v === undefined || v === '') return 'compact';
  if (!isShape(v)) throw new Error(`TRANSFORM_ANSWER must be one of ${ANSWER_SHAPES.join(', ')}, got "${v}"`);
  return v;
}

/** The shape a request asks for with `?answer=`, or the refusal to send when it names none. */
export function requestedShape(query: unknown, fallback: AnswerShape): AnswerShape | { error: string } {
  const v = (query as Record<string, unknown> | undefined)?.answer;
  if (v === undefined) return fallback;
  return isShape(v) ? v : { error: `?answer= must be one of ${ANSWER_SHAPES.join(', ')}` };
}
