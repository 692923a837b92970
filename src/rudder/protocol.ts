// The shapes rudder-server sends and decodes (router/types, router/transformer, processor/types in
// rudder-server; REFERENCE.md §5). Go decodes them into typed structs: a number where it wants a
// string (or the reverse) fails the whole answer, so every field here has exactly the Go type.

/** `JobMetadataT` / `ProxyRequestMetadata`: echoed back unchanged (minus `secret`); jobId identifies the job. */
export interface JobMetadata {
  jobId: number;
  destinationId?: string;
  workspaceId?: string;
  sourceId?: string;
  dontBatch?: boolean;
  secret?: unknown;
  [key: string]: unknown;
}

export interface Destination {
  ID?: string;
  Config?: Record<string, unknown>;
  DestinationDefinition?: { Name?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** One job of a routerTransform call, after the compacted form is expanded. */
export interface RouterJob {
  message: unknown;
  metadata: JobMetadata;
  destination: Destination;
}

/** `integrations.PostParametersT`: one HTTP request rudder-server (or its proxy call) carries. */
export interface PostParameters {
  version: '1';
  type: 'REST';
  method: string;
  endpoint: string;
  endpointPath?: string;
  userId: string;
  headers: Record<string, string>;
  params: Record<string, string>;
  body: {
    JSON: Record<string, unknown>;
    JSON_ARRAY: Record<string, never>;
    XML: Record<string, never>;
    FORM: Record<string, never>;
  };
  files: Record<string, never>;
}

/** `statTags` (map[string]string in Go): how rudder-server's dashboards count a failure. */
export interface StatTags {
  destType: string;
  module: 'destination';
  implementation: 'native';
  feature: 'router' | 'dataDelivery' | 'processor';
  destinationId: string;
  workspaceId: string;
  errorCategory: 'network' | 'dataValidation' | 'platform' | 'transformation';
  errorType: 'retryable' | 'throttled' | 'aborted' | 'instrumentation' | 'configuration';
}

/** `types.DestinationJobT`: one item of a routerTransform answer. */
export interface RouterOutput {
  batchedRequest?: PostParameters | PostParameters[];
  metadata: JobMetadata[];
  batched: boolean;
  statusCode: number;
  destination: Destination;
  error?: string;
  statTags?: StatTags;
  authErrorCategory?: string;
}

/** `TPDestResponse`: one job's outcome in a proxy v1 answer. */
export interface ProxyJobResponse {
  statusCode: number;
  metadata: JobMetadata;
  error: string;
}

/** `ProxyResponseV1`, the value of `output`. */
export interface ProxyV1Output {
  status: number;
  message: string;
  response: ProxyJobResponse[];
  statTags?: StatTags;
  authErrorCategory?: string;
}

/** `ProxyResponseV0`, the value of `output`. */
export interface ProxyV0Output {
  status: number;
  message: string;
  destinationResponse: unknown;
  statTags?: StatTags;
  authErrorCategory?: string;
}

/** The header rudder-server checks on every 200 answer (it panics without it) and reads on proxy answers. */
export const API_VERSION_HEADER = 'apiVersion';
export const API_VERSION = '2';
/** rudder-server's OAuth client puts the destination's secret (JSON) here on routerTransform calls. */
export const OAUTH_SECRET_HEADER = 'oauth-secret';

/** The metadata as echoed to rudder-server: never with the credentials it carried (the same object when it carried none). */
export function echoMetadata(metadata: JobMetadata): JobMetadata {
  if (!Object.hasOwn(metadata, 'secret')) return metadata;
  const { secret: _secret, ...rest } = metadata;
  return rest;
}
