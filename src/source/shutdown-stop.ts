// A sync asked to stop because its process is shutting down (SIGTERM from Kubernetes, Ctrl-C). It
// is thrown right after a page and its cursor were committed, so whoever runs the collection next
// resumes from there: nothing is lost, nothing is read twice beyond that page's cursor.

export class ShutdownStop extends Error {
  constructor(message = 'the process is shutting down: stopped after the last committed page') {
    super(message);
    this.name = 'ShutdownStop';
  }
}

/** Throws ShutdownStop once the signal has fired; called between committed pages. */
export function stopIfAsked(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ShutdownStop();
}
