/** The two integrals a {@link DemandIntegral} keeps, in request-milliseconds. */
export interface DemandTotals {
  /** Integral of in-flight + queued. */
  readonly demandMs: number;
  /** Integral of in-flight alone. */
  readonly inFlightMs: number;
}

/**
 * The integral over time of one target's in-flight and queued requests (request-ms), kept in O(1) per change:
 * each {@link DemandIntegral.set} first adds `count x ms since the last change` for the counts that held until
 * now, then takes the new counts. {@link DemandIntegral.totalsAt} adds the part since the last change without
 * changing anything, so reports in between are exact too. Times come from the caller's clock; a time earlier
 * than the last change (a clock step back) adds nothing, so the totals never go down.
 *
 * Example: from 0 ms idle; a request in flight at 100 ms, done at 300 ms; another at 500..700 ms and 800..1000 ms:
 * totals at 1000 ms are 600 request-ms, i.e. an average of 0.6 requests over the second.
 */
export class DemandIntegral {
  private inFlight = 0;
  private queued = 0;
  private sinceMs: number;
  private demandMs = 0;
  private inFlightMs = 0;

  /** @param startMs when counting starts (both counts 0 until the first change). */
  constructor(startMs: number) {
    this.sinceMs = startMs;
  }

  /** In-flight and queued became `inFlight` and `queued` at `nowMs`. */
  set(nowMs: number, inFlight: number, queued: number): void {
    const elapsed = nowMs - this.sinceMs;
    if (elapsed > 0) {
      this.inFlightMs += this.inFlight * elapsed;
      this.demandMs += (this.inFlight + this.queued) * elapsed;
      this.sinceMs = nowMs;
    }
    this.inFlight = inFlight;
    this.queued = queued;
  }

  /** The integrals from the start up to `nowMs`. */
  totalsAt(nowMs: number): DemandTotals {
    const elapsed = Math.max(0, nowMs - this.sinceMs);
    return { demandMs: this.demandMs + (this.inFlight + this.queued) * elapsed, inFlightMs: this.inFlightMs + this.inFlight * elapsed };
  }
}
