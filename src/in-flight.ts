/**
 * How many HTTP requests this process is answering now. The app counts them (from the request's
 * arrival to its response's close); lower layers read the count to tell a lone client, whose work
 * is quickest on the event loop, from several at once, whose work is better spread over threads.
 */
let requests = 0;
let started = 0;

export const inFlight = {
  enter(): void {
    requests++;
    started++;
  },
  leave(): void {
    requests--;
  },
  /** Requests begun and not yet answered, the caller's own included. */
  get requests(): number {
    return requests;
  },
  /** Requests begun since the process started: unchanged between two looks means none came. */
  get started(): number {
    return started;
  },
};
