/**
 * The types of `trackplan/collector`, the local Segment-compatible collector as a module;
 * types only, no runtime code. `createCollector` and `collectorSettings` are declared by
 * the JSDoc of `index.js` and `settings.js`, checked against these (`scripts/types.js`).
 *
 * @module trackplan/collector/types
 */
import type { Violation } from '../../sdk/types.js';

/** An event as the collector received it: the JSON analytics.js posted, plus where and when. */
export interface ReceivedEvent {
  /** `track`, `identify`, `page`, `group`, `alias` or `screen`. */
  type: string;
  /** A track event's name. */
  event?: string;
  /** A page's name. */
  name?: string;
  userId?: string | null;
  anonymousId?: string;
  groupId?: string;
  properties?: Record<string, unknown>;
  traits?: Record<string, unknown>;
  context?: Record<string, unknown>;
  messageId?: string;
  /** The write key it came with (batch body, event body or `Authorization` header). */
  writeKey?: string;
  /** When it arrived, as an ISO 8601 string. */
  receivedAt: string;
  [field: string]: unknown;
}

/** A received event that breaks the plan, with how. */
export interface BadEvent extends ReceivedEvent {
  violations: Violation[];
}

/**
 * Which events: a predicate, or an object the event must contain (a deep partial match,
 * e.g. `{ type: 'track', properties: { episode_id: 'ep_1' } }`).
 */
export type EventFilter<E extends ReceivedEvent = ReceivedEvent> = ((event: E) => boolean) | Record<string, unknown>;

/** How long to wait. */
export interface WaitOptions {
  /** Milliseconds; default 5000. */
  timeout?: number;
}

/**
 * The CDN settings pointing analytics-next at a collector: what
 * `GET /v1/projects/:writeKey/settings` answers, usable as the `cdnSettings` load option.
 */
export interface CollectorSettings {
  integrations: {
    'Segment.io': { apiKey: string; apiHost: string; protocol: string; [setting: string]: unknown };
  };
  [setting: string]: unknown;
}

/** Options of `createCollector`. */
export interface CollectorOptions {
  /** Port to listen on; `0` picks a free one (see `port` and `url`). Default 8787. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** A directory whose files are served for other `GET`s: the app under test. */
  staticDir?: string;
  /** No log line per received event. */
  quiet?: boolean;
  /**
   * The plan events are checked against (any Segment export, object or JSON text),
   * loaded at start: `createCollector` rejects when it cannot be used. Default: the
   * embedded plan, loaded when `good()` or `bad()` is first called.
   */
  plan?: object | string;
}

/** A running collector. */
export interface Collector {
  /** Its origin, e.g. `http://127.0.0.1:39127`: analytics-next's `cdnURL`. */
  readonly url: string;
  /** The port it listens on. */
  readonly port: number;
  /** The CDN settings for a write key that send analytics-next's events here (its `cdnSettings`). */
  settingsFor(writeKey: string): CollectorSettings;
  /** The received events matching `filter` (all by default), oldest first. */
  events(filter?: EventFilter): ReceivedEvent[];
  /** The received events that follow the plan. Asynchronous: the wasm core may have to start. */
  good(filter?: EventFilter): Promise<ReceivedEvent[]>;
  /** The received events that break the plan, each with its violations. Asynchronous, as `good`. */
  bad(filter?: EventFilter<BadEvent>): Promise<BadEvent[]>;
  /** Forgets the received events. */
  reset(): void;
  /**
   * The first event matching `filter`, already received or arriving within the timeout;
   * rejects with a `TimeoutError` naming what was received.
   */
  waitFor(filter: EventFilter, options?: WaitOptions): Promise<ReceivedEvent>;
  /**
   * The first received track event `event` whose properties contain `properties` (deep
   * partial match), waiting up to the timeout; rejects with an `AssertionError` whose
   * message diffs the closest received event.
   */
  expectReceived(event: string, properties?: Record<string, unknown>, options?: WaitOptions): Promise<ReceivedEvent>;
  /** Stops listening, drops keep-alive connections and rejects pending waits. */
  close(): Promise<void>;
}
