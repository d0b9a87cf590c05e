/**
 * Delivery to analytics.js: load it, queue calls until it is ready, never throw.
 *
 * The wasm core hands every call its policy lets through to a `Delivery`, which forwards
 * it to analytics-next once loaded. Before that, calls wait in a bounded queue, in order,
 * and are replayed exactly once; if analytics.js cannot load (ad blocker, CDN down,
 * settings 404), they are dropped and the tracker reports `unavailable`.
 *
 * @module trackplan/delivery
 */

/** Default bound of the queue of calls made before analytics.js is ready. */
export const DEFAULT_QUEUE_SIZE = 1000;

/** Forwards calls to analytics.js, queueing them until it is ready. */
export class Delivery {
  /**
   * @param {{ writeKey: string | null, environment: string, analytics?: object,
   *           segment?: { settings?: object, options?: object }, queueSize?: number }} options
   */
  constructor({ writeKey, environment, analytics, segment, queueSize = DEFAULT_QUEUE_SIZE }) {
    this.writeKey = writeKey;
    this.environment = environment;
    this.segment = segment ?? {};
    this.queueSize = queueSize;
    /** `loading`, `ready` or `unavailable`. */
    this.status = 'loading';
    /** The loaded analytics instance, once ready. */
    this.analytics = analytics ?? null;
    this.queue = [];
    this.droppedFromQueue = 0;
    this.settle = () => {};
    /** Settles when analytics.js has loaded or failed to; never rejects. */
    this.ready = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  /** What a call the policy lets through becomes now: `sent`, `queued` or `dropped`. */
  get action() {
    if (this.status === 'ready') return this.writeKey || this.analytics ? 'sent' : 'dropped';
    return this.status === 'loading' ? 'queued' : 'dropped';
  }

  /** Starts loading analytics.js (or uses the instance given). */
  start() {
    if (this.analytics) return this.become('ready');
    if (!this.writeKey) {
      console.info(
        `trackplan: no write key for the ${this.environment} environment; calls are validated but nothing is sent. ` +
          `Set writeKeys.${this.environment} to send.`,
      );
      return this.become('ready');
    }
    this.load().then(
      (analytics) => {
        this.analytics = analytics;
        this.become('ready');
      },
      (error) => {
        console.warn('trackplan: analytics.js could not load; calls are validated but not sent.', error);
        this.become('unavailable');
      },
    );
  }

  /** Imports analytics-next and loads it with the environment's write key. */
  async load() {
    const { AnalyticsBrowser } = await import('@segment/analytics-next');
    const [analytics] = await AnalyticsBrowser.load(
      { ...this.segment.settings, writeKey: this.writeKey },
      this.segment.options,
    );
    return analytics;
  }

  become(status) {
    this.status = status;
    const queued = this.queue;
    this.queue = [];
    if (status === 'ready') for (const [method, args] of queued) this.forward(method, args);
    this.settle();
  }

  /** Forwards a call now, queues it, or drops it, depending on the status. */
  send(method, args) {
    if (this.status === 'ready') return this.forward(method, args);
    if (this.status !== 'loading') return;
    if (this.queue.length >= this.queueSize) {
      this.queue.shift();
      this.droppedFromQueue += 1;
      if (this.droppedFromQueue === 1) {
        console.warn(
          `trackplan: more than ${this.queueSize} calls before analytics.js was ready; the oldest are dropped ` +
            '(see tracker.droppedBeforeReady).',
        );
      }
    }
    this.queue.push([method, args]);
  }

  /** A call made without validation (the wasm could not start): marked as such. */
  passthrough(method, args) {
    this.sendMarked(method, args, { validated: false });
  }

  /**
   * Sends a call with `context.trackplan` set to `mark` in a copy of its options (the
   * page's objects are not changed; options that cannot be read are replaced).
   * @param {string} method
   * @param {unknown[]} args
   * @param {object} mark
   */
  sendMarked(method, args, mark) {
    const optionsIndex = method === 'page' ? 3 : 2;
    const padded = Array.from({ length: Math.max(args.length, optionsIndex + 1) }, (_, i) => args[i]);
    const options = readableCopy(padded[optionsIndex]);
    padded[optionsIndex] = { ...options, context: { ...readableCopy(options.context), trackplan: mark } };
    this.send(method, padded);
  }

  forward(method, args) {
    if (!this.analytics) return;
    try {
      const result = this.analytics[method](...args);
      if (result && typeof result.catch === 'function') result.catch(() => {});
    } catch (error) {
      console.warn(`trackplan: analytics.${method} threw`, error);
    }
  }
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
