import { EbbError, ErrorCodes, httpStatus, keepReconnectsPrompt, type Clock, type Logger, type TimerHandle } from '@ebb/core';
import type { Informer, KubernetesObject, ObjectCache } from '@kubernetes/client-node';

/** First and longest pause before re-establishing a broken watch, ms. */
const BACKOFF_MS = [500, 30_000] as const;
/** Tries of the first list when the apiserver answers "try again" (429, 5xx), 0.5 s apart and doubling: 7.5 s in all. */
const START_ATTEMPTS = 5;

/**
 * An apiserver answer worth trying again: 429 (e.g. "storage is (re)initializing" just after a CRD is installed)
 * and 5xx. Refusals (401, 403, 404) are not: they fail the start at once.
 */
function isTransient(e: unknown): boolean {
  const status = httpStatus(e);
  return status === 429 || (status !== undefined && status >= 500);
}

/**
 * Wraps a client-node informer, which stops for good on a watch error: it restarts it (resuming from the last
 * resourceVersion, or re-listing after 410 Gone) with exponential backoff from 0.5 s to 30 s, logging each
 * interruption. The first start fails loudly, so a gateway without apiserver access does not serve blind.
 */
export class ResilientInformer<T extends KubernetesObject> {
  readonly cache: ObjectCache<T>;
  private readonly informer: Informer<T> & ObjectCache<T>;
  private readonly what: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private delayMs: number = BACKOFF_MS[0];
  private lastError: unknown;
  private starting = false;
  private stopped = false;
  private timer: TimerHandle | undefined;

  constructor(what: string, informer: Informer<T> & ObjectCache<T>, clock: Clock, logger: Logger) {
    this.what = what;
    this.informer = informer;
    this.cache = informer;
    this.clock = clock;
    this.logger = logger;
    keepReconnectsPrompt(informer, clock);
    informer.on('error', (err) => {
      this.lastError = err ?? new Error('watch failed');
      if (this.stopped || this.starting) return;
      this.logger.warn(`${what} watch interrupted; restarting`, { error: String(err), retryInMs: this.delayMs });
      this.scheduleRestart();
    });
  }

  /** Lists and starts watching. @throws EbbError `EBB_KUBE_UNAVAILABLE` when the first list fails. */
  async start(): Promise<void> {
    this.stopped = false;
    let ok = await this.tryStart();
    for (let attempt = 1, pauseMs = BACKOFF_MS[0]; !ok && !this.stopped && attempt < START_ATTEMPTS && isTransient(this.lastError); attempt++, pauseMs *= 2) {
      this.logger.warn(`${this.what}: the first list failed; trying again`, { error: String(this.lastError), retryInMs: pauseMs });
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, pauseMs));
      ok = await this.tryStart();
    }
    if (!ok) {
      await this.informer.stop();
      throw new EbbError(ErrorCodes.KUBE_UNAVAILABLE, `cannot list ${this.what}: ${String(this.lastError)}`, { cause: this.lastError });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.informer.stop();
  }

  private async tryStart(): Promise<boolean> {
    this.starting = true;
    this.lastError = undefined;
    try {
      await this.informer.start();
    } catch (e) {
      this.lastError = e;
    } finally {
      this.starting = false;
    }
    return this.lastError === undefined;
  }

  private scheduleRestart(): void {
    this.timer?.cancel();
    this.timer = this.clock.setTimeout(async () => {
      if (this.stopped) return;
      if (await this.tryStart()) {
        this.delayMs = BACKOFF_MS[0];
        this.logger.info(`${this.what} watch restored`);
        return;
      }
      this.delayMs = Math.min(this.delayMs * 2, BACKOFF_MS[1]);
      this.logger.warn(`${this.what} watch could not be restored; retrying`, { error: String(this.lastError), retryInMs: this.delayMs });
      this.scheduleRestart();
    }, this.delayMs);
  }
}
