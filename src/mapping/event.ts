// The input of POST /transform: RudderStack/Segment messages, as the router sends them.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface TransformItem {
  message: JsonObject;
  metadata?: Json;
  destination?: { Config?: JsonObject; [key: string]: Json | undefined };
}

/** One item of the POST /transform answer. */
export type TransformResult =
  | { metadata: Json | undefined; statusCode: 200; output: import('../operation/operation.js').Operation[] }
  | { metadata: Json | undefined; statusCode: 298; error: string }
  | { metadata: Json | undefined; statusCode: 400; error: string; errorCode: string };
