/** One version of the versions part: its Deployment's replicas, Ready pods and effective weight on the route. */
export interface VersionLine {
  readonly name: string;
  readonly desired: number | undefined;
  readonly ready: number;
  readonly weight: number;
}

/** The versions part at one moment: each version, and the rollout's step (undefined: no rollout in progress). */
export interface VersionsView {
  readonly versions: readonly VersionLine[];
  readonly step: number | undefined;
  readonly note: string | undefined;
}

/** What the live view shows at one moment. */
export interface Snapshot {
  readonly phase: string;
  /** Seconds since the demo's load began (negative during set-up is not shown). */
  readonly elapsedS: number;
  /** Requests in flight + queued at the gateway, and the two parts. */
  readonly inFlight: number | undefined;
  readonly queued: number | undefined;
  /** Answers per second over the last second, and their median latency. */
  readonly rps: number;
  readonly p50Ms: number | undefined;
  /** The scaler's combined desired count, the Deployment's replicas, Ready pods (coffee and reserve). */
  readonly desired: number | undefined;
  readonly replicas: number | undefined;
  readonly ready: number;
  readonly reserveReady: number;
  /** The KPA's panic flag and observed concurrency (stable and panic window) against its target per pod. */
  readonly panic: boolean | undefined;
  readonly kpaStable: number | undefined;
  readonly kpaPanic: number | undefined;
  readonly kpaPerPod: number | undefined;
  /** `plugin: reason` of the recommendation that won, and the combination steps that changed it. */
  readonly winner: string | undefined;
  readonly served: number;
  readonly errors: number;
  readonly coldStarts: number;
  /** The versions part, while it runs. */
  readonly versions?: VersionsView;
}

const fixed = (n: number | undefined, digits = 0): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));
const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const versionText = (v: VersionLine): string => `${v.name} weight ${String(v.weight).padStart(3)} % desired ${pad(fixed(v.desired), 2)} ready ${pad(String(v.ready), 2)}`;
const rolloutText = (v: VersionsView): string => (v.step === undefined ? 'no rollout in progress' : `rollout step ${v.step}${v.note ? ` (${v.note})` : ''}`);

/** One block of lines for a terminal (redrawn in place). */
export function renderBlock(s: Snapshot, width: number): string[] {
  const demand = s.inFlight === undefined ? '-' : String(s.inFlight + (s.queued ?? 0));
  const bar = '█'.repeat(Math.min(s.ready, 40)) + '▒'.repeat(Math.min(s.reserveReady, 5));
  const kpa = s.kpaStable === undefined ? 'no data yet' : `concurrency ${fixed(s.kpaStable, 1)} (stable) / ${fixed(s.kpaPanic, 1)} (panic) at ${fixed(s.kpaPerPod, 1)} per pod`;
  const lines = [
    `── Ebb demo · ${s.phase} · t=${fixed(s.elapsedS)} s ${'─'.repeat(20)}`,
    `demand   ${pad(demand, 5)} requests at the gateway (${fixed(s.inFlight)} in flight, ${fixed(s.queued)} queued)   ${fixed(s.rps)} req/s, p50 ${fixed(s.p50Ms)} ms`,
    `pods     desired ${pad(fixed(s.desired), 4)} replicas ${pad(fixed(s.replicas), 4)} ready ${pad(String(s.ready), 4)} reserve ${s.reserveReady}  ${bar}`,
    `panic    ${s.panic === undefined ? '-' : s.panic ? 'YES' : 'no '}   KPA ${kpa}`,
    `winner   ${s.winner ?? '-'}`,
    `totals   ${s.served} served, ${s.errors} errors, ${s.coldStarts} cold starts`,
  ];
  if (s.versions) lines.push(`versions ${s.versions.versions.map(versionText).join(' │ ')}`, `         ${rolloutText(s.versions)}`);
  return lines.map((l) => (l.length > width ? l.slice(0, width - 1) + '…' : l));
}

/** One plain line (for logs and pipes). */
export function renderLine(s: Snapshot): string {
  const demand = s.inFlight === undefined ? '-' : String(s.inFlight + (s.queued ?? 0));
  return (
    `[t=${fixed(s.elapsedS).padStart(3)}s] ${pad(s.phase, 9)} demand ${pad(demand, 3)} desired ${pad(fixed(s.desired), 2)} ready ${pad(String(s.ready), 2)} ` +
    `reserve ${s.reserveReady} panic ${s.panic === undefined ? '-' : s.panic ? 'yes' : 'no'} ${fixed(s.rps)} req/s p50 ${fixed(s.p50Ms)} ms ` +
    `served ${s.served} errors ${s.errors} | ${s.winner ?? '-'}` +
    (s.versions ? ` | ${s.versions.versions.map((v) => `${v.name} ${v.weight}% ${fixed(v.desired)}/${v.ready}`).join(' ')} ${rolloutText(s.versions)}` : '')
  );
}

/**
 * The demo's terminal output. On a TTY the status block is redrawn in place and events scroll above it; otherwise
 * every update is one plain line (at most one every `plainEveryMs`), and events are lines too.
 */
export class LiveView {
  private drawn = 0;
  private lastPlainMs = 0;
  private last: Snapshot | undefined;
  private readonly out: NodeJS.WritableStream & { columns?: number };
  private readonly tty: boolean;
  private readonly plainEveryMs: number;

  constructor(out: NodeJS.WritableStream & { columns?: number }, tty: boolean, plainEveryMs = 2000) {
    this.out = out;
    this.tty = tty;
    this.plainEveryMs = plainEveryMs;
  }

  /** A line that stays (a phase change, a milestone). */
  event(text: string): void {
    this.erase();
    this.out.write(`${text}\n`);
    if (this.last && this.tty) this.draw(this.last);
  }

  update(s: Snapshot): void {
    this.last = s;
    if (this.tty) {
      this.erase();
      this.draw(s);
    } else if (Date.now() - this.lastPlainMs >= this.plainEveryMs) {
      this.lastPlainMs = Date.now();
      this.out.write(renderLine(s) + '\n');
    }
  }

  /** Leaves the last block on screen and stops redrawing. */
  close(): void {
    this.drawn = 0;
    this.last = undefined;
  }

  private draw(s: Snapshot): void {
    const lines = renderBlock(s, Math.max(40, this.out.columns || 120));
    this.out.write(lines.join('\n') + '\n');
    this.drawn = lines.length;
  }

  private erase(): void {
    if (!this.tty || this.drawn === 0) return;
    this.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }
}
