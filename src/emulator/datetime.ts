// Salesforce's datetime text: UTC with milliseconds and a "+0000" offset
// (2026-12-01T21:32:46.000+0000). Stored datetimes always have this form, so two of them compare
// as plain strings — which is what lets a million-row SystemModstamp filter run without parsing.

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/;

export function sfDatetime(at: Date | number): string {
  return new Date(at).toISOString().replace('Z', '+0000');
}

/** Any ISO-8601 datetime text (Z, ±hh:mm, ±hhmm) in the stored form; undefined when it is not one. */
export function canonicalDatetime(text: string): string | undefined {
  if (CANONICAL.test(text)) return text;
  const ms = Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? undefined : sfDatetime(ms);
}
