// The org's daily API usage as Salesforce reports it on every REST answer
// (`Sforce-Limit-Info: api-usage=123/15000`). Delivery's shared budget and the source sync's
// per-run budget both read it; this is the one place that knows the header's form.

export interface ApiUsage {
  used: number;
  max: number;
}

const LIMIT_INFO = /api-usage=(\d+)\/(\d+)/;

/** `api-usage=123/15000` → { used: 123, max: 15000 }; undefined when absent or malformed. */
export function parseLimitInfo(header: string | undefined): ApiUsage | undefined {
  const m = header ? LIMIT_INFO.exec(header) : null;
  return m ? { used: Number(m[1]), max: Number(m[2]) } : undefined;
}
