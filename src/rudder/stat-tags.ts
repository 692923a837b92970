// statTags on every error answer, as rudder-transformer tags them: which part failed (the event's
// data, the destination's settings, the platform, or Salesforce over the network) and whether
// rudder-server will retry it.
import type { JobMetadata, StatTags } from './protocol.js';

/** Where a failure came from. */
export type FailureSource = 'mapping' | 'configuration' | 'platform' | 'delivery';

export function statTags(
  statusCode: number,
  source: FailureSource,
  context: { definition: string; feature: StatTags['feature']; metadata?: Partial<JobMetadata> },
): StatTags {
  const retryType = (): StatTags['errorType'] =>
    statusCode === 429 ? 'throttled' : statusCode >= 500 ? 'retryable' : 'aborted';
  const [errorCategory, errorType]: [StatTags['errorCategory'], StatTags['errorType']] =
    source === 'mapping'
      ? ['dataValidation', 'instrumentation']
      : source === 'configuration'
        ? ['dataValidation', 'configuration']
        : source === 'platform'
          ? ['platform', retryType()]
          : ['network', retryType()];
  return {
    destType: context.definition,
    module: 'destination',
    implementation: 'native',
    feature: context.feature,
    destinationId: str(context.metadata?.destinationId),
    workspaceId: str(context.metadata?.workspaceId),
    errorCategory,
    errorType,
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
