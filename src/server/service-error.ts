/** A refusal of a service, with the HTTP status the API answers with. */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(readonly code: string, readonly status: number, message: string) {
    super(message);
  }
}
