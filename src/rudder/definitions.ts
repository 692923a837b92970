// The rudder-server destination definitions this server stands in for (rudder-transformer's
// SALESFORCE, SALESFORCE_OAUTH and SALESFORCE_OAUTH_SANDBOX). rudder-server names them upper case in
// bodies and lower case in URL paths (`/v1/destinations/salesforce_oauth/proxy`).

export const SERVED_DEFINITIONS = ['SALESFORCE', 'SALESFORCE_OAUTH', 'SALESFORCE_OAUTH_SANDBOX'] as const;
export type ServedDefinition = (typeof SERVED_DEFINITIONS)[number];

/** The served definition named `name` (any case), or undefined. */
export function servedDefinition(name: unknown): ServedDefinition | undefined {
  if (typeof name !== 'string') return undefined;
  const upper = name.toUpperCase();
  return SERVED_DEFINITIONS.find((d) => d === upper);
}

/** The sentence a caller reads when it names a destination this server does not serve. */
export function notServedMessage(name: unknown): string {
  const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 60)) : String(name);
  return `destination ${shown} is not served here; this server serves ${SERVED_DEFINITIONS.join(', ')} (any case)`;
}
