// Inline rules (destination.Config.mappings objects, and the playground) are JSONata written by
// whoever sends the request. Whether a server accepts them at all, and how much of them, is the
// operator's choice: INLINE_MAPPINGS=off | sandboxed (default: sandboxed — their expressions run in
// the clients' sandbox pool), MAX_INLINE_RULES per Config, MAX_INLINE_RULE_BYTES per rule.

export type InlineMode = 'off' | 'sandboxed';

function mode(raw: string | undefined): InlineMode {
  const v = (raw ?? 'sandboxed').trim().toLowerCase();
  if (v === 'off' || v === 'sandboxed') return v;
  throw new Error(`INLINE_MAPPINGS must be "off" or "sandboxed", not ${JSON.stringify(raw)}`);
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive whole number, not ${JSON.stringify(raw)}`);
  return n;
}

export const inlinePolicy: { mode: InlineMode; maxRules: number; maxRuleBytes: number } = {
  mode: mode(process.env.INLINE_MAPPINGS),
  maxRules: positive('MAX_INLINE_RULES', 20),
  maxRuleBytes: positive('MAX_INLINE_RULE_BYTES', 32 * 1024),
};

export const INLINE_OFF_MESSAGE =
  'inline rules are turned off on this server (INLINE_MAPPINGS=off); name a rule from its mappings folder instead';
