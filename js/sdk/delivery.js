/**
 * Delivery to analytics.js: load it, queue calls until it is ready, never throw.
 *
 * The wasm core hands every call its policy lets through to a delivery, which forwards
 * it to analytics-next once loaded. Before that, calls wait in a bounded queue, in order,
 * and are replayed exactly once; if analytics.js cannot load (ad blocker, CDN down,
 * settings 404), they are dropped and the tracker reports `unavailable`.
 *
 * @module trackplan/delivery
 */

/** Default bound of the queue of calls made before analytics.js is ready. */
export const DEFAULT_QUEUE_SIZE = 1000;

/**
 * A delivery: forwards calls to analytics.js, queueing them until it is ready. Nothing
 * loads until `start()`: then the `analytics` instance given is used, or, with a write
 * key, `load(settings, options)` (by default analytics-next's `AnalyticsBrowser.load`)
 * resolves with one.
 * @param {{ writeKey: string | null, environment: string, analytics?: object,
 *           segment?: { settings?: object, options?: object }, queueSize?: number,
 *           load?: (settings: object, options?: object) => Promise<object> }} options
 */
export function createDelivery({
  writeKey,
  environment,
  analytics,
  segment,
  queueSize = DEFAULT_QUEUE_SIZE,
  load = loadAnalytics,
}) {
  let queue = [];
  let settle;
  const ready = new Promise((resolve) => {
    settle = resolve;
  });

  /** Sets the status and settles `ready`; once ready, replays the queue in order. */
  const become = (status) => {
    delivery.status = status;
    const queued = queue;
    queue = [];
    if (status === 'ready') for (const [method, args] of queued) forward(method, args);
    settle();
  };

  /** Hands a call to analytics.js: what it throws is logged, what it rejects with ignored. */
  const forward = (method, args) => {
    if (!analytics) return;
    try {
      const result = analytics[method](...args);
      if (result && typeof result.catch === 'function') result.catch(() => {});
    } catch (error) {
      console.warn(`trackplan: analytics.${method} threw`, error);
    }
  };

  const delivery = {
    /** `loading`, `ready` or `unavailable`. */
    status: 'loading',
    /** How many calls the bounded queue dropped, oldest first. */
    droppedFromQueue: 0,
    /** Settles when analytics.js has loaded or failed to; never rejects. */
    ready,

    /** What a call the policy lets through becomes now: `sent`, `queued` or `dropped`. */
    get action() {
      if (delivery.status === 'ready') return writeKey || analytics ? 'sent' : 'dropped';
      return delivery.status === 'loading' ? 'queued' : 'dropped';
    },

    /** Starts loading analytics.js (or uses the instance given). */
    start() {
      if (analytics) return become('ready');
      if (!writeKey) {
        console.info(
          `trackplan: no write key for the ${environment} environment; calls are validated but nothing is sent. ` +
            `Set writeKeys.${environment} to send.`,
        );
        return become('ready');
      }
      load({ ...segment?.settings, writeKey }, segment?.options).then(
        (loaded) => {
          analytics = loaded;
          become('ready');
        },
        (error) => {
          console.warn('trackplan: analytics.js could not load; calls are validated but not sent.', error);
          become('unavailable');
        },
      );
    },

    /** Forwards a call now, queues it, or drops it, depending on the status. */
    send(method, args) {
      if (delivery.status === 'ready') return forward(method, args);
      if (delivery.status !== 'loading') return;
      if (queue.length >= queueSize) {
        queue.shift();
        if (++delivery.droppedFromQueue === 1) {
          console.warn(
            `trackplan: more than ${queueSize} calls before analytics.js was ready; the oldest are dropped ` +
              '(see tracker.droppedBeforeReady).',
          );
        }
      }
      queue.push([method, args]);
    },

    /**
     * Sends a call with `context.trackplan` set to `mark` in a copy of its options (the
     * page's objects are not changed; options that cannot be read are replaced).
     * @param {string} method
     * @param {unknown[]} args
     * @param {object} mark
     */
    sendMarked(method, args, mark) {
      const optionsIndex = method === 'page' ? 3 : 2;
      // Arguments missing before the options are undefined when the call is forwarded.
      const marked = [...args];
      const options = readableCopy(args[optionsIndex]);
      marked[optionsIndex] = { ...options, context: { ...readableCopy(options.context), trackplan: mark } };
      delivery.send(method, marked);
    },
  };
  return delivery;
}

/** Imports analytics-next and loads it: resolves with the analytics instance. */
async function loadAnalytics(settings, options) {
  const { AnalyticsBrowser } = await import('@segment/analytics-next');
  const [analytics] = await AnalyticsBrowser.load(settings, options);
  return analytics;
}

/** A shallow copy of `value`'s own properties; `{}` when it is not an object or cannot be read. */
export function readableCopy(value) {
  if (!value || typeof value !== 'object') return {};
  try {
    return { ...value };
  } catch {
    return {};
  }
}
