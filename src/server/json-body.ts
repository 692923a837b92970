// Request bodies: JSON only, bounded in size and depth, every refusal a clear `{error: {code, message}}`
// (CONTRACT: a body that is not a JSON array of objects, or too large, gets 400/413 and nothing else).
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';

const DEFAULT_BODY_LIMIT = process.env.MAX_BODY_BYTES ? Number(process.env.MAX_BODY_BYTES) : 5 * 1024 * 1024;
/** Real events nest a handful of levels; hundreds of levels is an attack on recursive code. */
export const MAX_DEPTH = 64;

export function bodyError(code: string, message: string) {
  return { error: { code, message } };
}

/**
 * JSON bodies, their nesting checked once, by a walk of the parsed value (nestsTooDeep): the routes
 * after it, the rudder-server envelope included, get a body no deeper than MAX_DEPTH. The walk
 * costs about a fifth of scanning the raw bytes before parsing, which this did before (0.2-0.3
 * against 1.0-1.4 µs per 800-byte event), and the scan never spared JSON.parse a deep body:
 * naming the place took a parse all the same.
 */
export function jsonBody(limit = DEFAULT_BODY_LIMIT): RequestHandler {
  // strict: false so that valid JSON which is not an array (`"x"`, `5`) reaches checkItemArray and is
  // told so, instead of being called "not valid JSON".
  const parse = express.json({ limit, strict: false, type: () => true });
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (err !== undefined) next(deepAndInvalid(err) ? tooDeepError('') : err);
      else if (nestsTooDeep(req.body, MAX_DEPTH)) next(tooDeepError(` at ${tooDeep(req.body) ?? '(top)'}`));
      else next();
    });
  };
}

/**
 * Whether a body JSON.parse refused also nests too deep: such a body is refused for its depth, as it
 * was when the depth was checked before parsing.
 */
function deepAndInvalid(err: unknown): boolean {
  const e = err as { type?: unknown; body?: unknown };
  return e.type === 'entity.parse.failed' && typeof e.body === 'string' && nestsDeeper(Buffer.from(e.body), MAX_DEPTH);
}

function tooDeepError(where: string): Error {
  return Object.assign(new Error(`request body nests deeper than ${MAX_DEPTH} levels${where}`), {
    status: 400,
    type: 'entity.too.deep',
  });
}

/**
 * Whether a parsed JSON value holds an array or object more than `max` levels below the top (the
 * top value is level 0), as tooDeep decides, without building paths: it recurses at most `max`
 * levels, so no body can take it deeper. JSON.parse gives plain objects, whose own keys are all
 * for-in sees.
 */
export function nestsTooDeep(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (max === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object' && nestsTooDeep(v, max - 1)) return true;
    }
  } else {
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== null && typeof v === 'object' && nestsTooDeep(v, max - 1)) return true;
    }
  }
  return false;
}

/**
 * Whether JSON text nests arrays/objects more than `max` levels below the top value, in one pass
 * over the bytes: strings are skipped with indexOf (a `"` preceded by an odd run of backslashes is
 * escaped), brackets counted. For text JSON.parse refused; on invalid JSON it may give any answer.
 */
export function nestsDeeper(buf: Uint8Array, max: number): boolean {
  const n = buf.length;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[i];
    if (c === 0x22) {
      let j = i;
      for (;;) {
        j = buf.indexOf(0x22, j + 1);
        if (j < 0) return false;
        let k = j - 1;
        while (buf[k] === 0x5c) k--;
        if ((j - 1 - k) % 2 === 0) break;
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Turns body-parser's failures into the contract's error shape. */
export const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
  const e = err as { type?: string; status?: number; message?: string; limit?: number };
  if (e.type === 'entity.too.large') {
    res
      .status(413)
      .json(bodyError('BODY_TOO_LARGE', `request body is larger than ${e.limit} bytes; send fewer events per request`));
  } else if (e.type === 'entity.too.deep') {
    res.status(400).json(bodyError('TOO_DEEP', e.message ?? 'request body nests too deep'));
  } else if (e.type === 'entity.parse.failed') {
    res.status(400).json(bodyError('INVALID_JSON', `request body is not valid JSON: ${e.message}`));
  } else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
    res.status(415).json(bodyError('UNSUPPORTED_ENCODING', e.message ?? 'unsupported encoding'));
  } else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    res.status(e.status).json(bodyError('BAD_REQUEST', e.message ?? 'bad request'));
  } else next(err);
};

/**
 * Where the body first nests deeper than `max`, as a path like `[0].message.traits.a`, else
 * undefined. The common case (not too deep) walks without building paths; only a refusal pays for
 * finding the place.
 */
export function tooDeep(value: unknown, max = MAX_DEPTH): string | undefined {
  const values: unknown[] = [value];
  const depths: number[] = [0];
  let found = false;
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) {
      found = true;
      break;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        values.push(v[i]);
        depths.push(depth + 1);
      }
    } else {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        values.push((v as Record<string, unknown>)[k]);
        depths.push(depth + 1);
      }
    }
  }
  return found ? deepPath(value, max) : undefined;
}

function deepPath(value: unknown, max: number): string {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: value, depth: 0, path: '' }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= max) return path || '(top)';
    if (Array.isArray(v))
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], depth: depth + 1, path: `${path}[${i}]` });
    else
      for (const k of Object.keys(v))
        stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1, path: `${path}.${k}` });
  }
  return '(top)';
}

/**
 * The body must be a JSON array of objects; returns the refusal, or undefined when it is. Its depth
 * was checked while it was read (jsonBody).
 */
export function checkItemArray(body: unknown): { status: number; body: ReturnType<typeof bodyError> } | undefined {
  if (!Array.isArray(body))
    return {
      status: 400,
      body: bodyError('NOT_AN_ARRAY', 'request body must be a JSON array of items, one per event'),
    };
  const bad = body.findIndex((i) => i === null || typeof i !== 'object' || Array.isArray(i));
  if (bad >= 0)
    return {
      status: 400,
      body: bodyError(
        'ITEM_NOT_AN_OBJECT',
        `item [${bad}] is not an object; every item must be {message, metadata, destination}`,
      ),
    };
  return undefined;
}
