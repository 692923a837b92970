// The date and date-time forms the product reads and writes, declared once. Events carry loose
// ISO 8601 (field-values.ts fits them to a field); Salesforce's SOQL takes only the strict forms
// (soql.ts writes them bare).

/** `yyyy-MM-dd`, with the parts captured: a date field's value and a SOQL date literal. */
export const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** ISO 8601 date-time as events carry it: seconds, fraction and zone optional (no zone means UTC). */
export const LOOSE_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** A SOQL datetime literal: seconds and a zone required (`2024-05-01T10:00:00.000Z`, `…+02:00`). */
export const SOQL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
