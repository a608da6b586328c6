import type { App } from "@slack/bolt";

/**
 * Counts and tracks every delivery that reaches the Bolt app (whatever the receiver: HTTP, Socket Mode,
 * or a test calling `processEvent` itself). A request refused by the receiver (bad signature, stale
 * timestamp) never gets here.
 */
export interface Deliveries {
  /** How many deliveries reached the app so far. */
  readonly count: number;
  /**
   * Resolves once every delivery received so far has been processed to the end: Bolt's `processEvent`
   * resolves only after every listener has returned, and our listeners await all their work (the reply,
   * the Home refresh, the event handlers). A test asserting that something did NOT happen waits for this
   * instead of sleeping: once it resolves, nothing the app received can still do anything.
   */
  settled(): Promise<void>;
}

/** Wraps `app.processEvent` so the test can tell when the app has finished with everything it received. */
export function trackDeliveries(app: App): Deliveries {
  const inFlight = new Set<Promise<void>>();
  let count = 0;
  const original = app.processEvent.bind(app);
  app.processEvent = (event) => {
    count++;
    const processing = original(event);
    inFlight.add(processing);
    processing.then(
      () => inFlight.delete(processing),
      () => inFlight.delete(processing),
    );
    return processing;
  };
  return {
    get count() {
      return count;
    },
    async settled() {
      // A delivery may be received while others finish: wait until none is left.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
