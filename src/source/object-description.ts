// What discovery learns about one object from Salesforce (GET /sobjects and its describe), reduced to
// what a sync needs. Parsed defensively: a describe is an answer from the network, not a promise.

export interface DescribedField {
  name: string;
  type: string;
  /** Usable in WHERE (a non-filterable SystemModstamp cannot be a cursor). */
  filterable: boolean;
  /** A formula: its value changes without SystemModstamp moving. */
  calculated: boolean;
}

export interface ObjectDescription {
  name: string;
  fields: DescribedField[];
}

/** Reads a describe body; throws with the object's name when it does not look like one. */
export function parseDescribe(object: string, body: unknown): ObjectDescription {
  const b = body as { name?: unknown; fields?: unknown } | null;
  if (typeof b !== 'object' || b === null || !Array.isArray(b.fields)) {
    throw new Error(`describe of ${object} answered without a fields list`);
  }
  const fields: DescribedField[] = [];
  b.fields.forEach((f: unknown, i: number) => {
    const field = f as Record<string, unknown> | null;
    if (
      typeof field !== 'object' ||
      field === null ||
      typeof field.name !== 'string' ||
      typeof field.type !== 'string'
    ) {
      throw new Error(`describe of ${object}: fields[${i}] has no name or type`);
    }
    fields.push({
      name: field.name,
      type: field.type,
      filterable: field.filterable !== false,
      calculated: field.calculated === true,
    });
  });
  return { name: typeof b.name === 'string' ? b.name : object, fields };
}
