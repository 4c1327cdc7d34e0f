import { systemClock, type Clock } from '@ebb/core';

/** Where the bar is drawn. */
export interface ProgressSink {
  write(s: string): void;
  /** Whether the sink is a terminal; the bar draws only on one. */
  readonly isTTY: boolean;
}

/**
 * A one-line progress bar on stderr for long runs, redrawn at most 10 times a second (wall time), only when
 * stderr is a terminal: `[##########..........]  50%  knative-default  12.0/24 trace-h per configuration`.
 */
export class ProgressBar {
  private lastDrawMs = -Infinity;
  private drawn = false;
  private readonly sink: ProgressSink;
  private readonly clock: Clock;
  private readonly width: number;

  constructor(sink: ProgressSink, o: { clock?: Clock; width?: number } = {}) {
    this.sink = sink;
    this.clock = o.clock ?? systemClock;
    this.width = o.width ?? 30;
  }

  /** Reports `done` of `total` simulated ms; `label` names the configuration running. */
  update(done: number, total: number, label: string): void {
    if (!this.sink.isTTY || total <= 0) return;
    const now = this.clock.now();
    if (now - this.lastDrawMs < 100 && done < total) return;
    this.lastDrawMs = now;
    const fraction = Math.min(1, done / total);
    const filled = Math.round(fraction * this.width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(this.width - filled)}]`;
    this.sink.write(`\r${bar} ${String(Math.floor(fraction * 100)).padStart(3)}%  ${label.slice(0, 30).padEnd(30)}`);
    this.drawn = true;
  }

  /** Clears the line (before the summary is printed). */
  done(): void {
    if (!this.drawn) return;
    this.sink.write(`\r${' '.repeat(this.width + 40)}\r`);
    this.drawn = false;
  }
}
