/** The only place the service reads the time; the core never does. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
