// An event that can never succeed as it is: it gets status 400 with a message naming the place.

export type EventErrorCode =
  | 'INVALID_EVENT'
  | 'INVALID_SETTINGS'
  | 'INVALID_MAPPING'
  | 'MISSING_MATCH_VALUE'
  | 'MISSING_REQUIRED_FIELD'
  | 'INVALID_RECORD_ID'
  | 'INVALID_EXTERNAL_ID'
  | 'INVALID_FIELD_VALUE'
  | 'EXPRESSION_ERROR'
  | 'NOTHING_TO_WRITE';

export class EventError extends Error {
  constructor(
    message: string,
    readonly errorCode: EventErrorCode,
  ) {
    super(message);
  }
}
