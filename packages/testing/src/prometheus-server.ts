import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './free-port.ts';
import { startOwnedProcess, type OwnedProcess } from './owned-process.ts';
import { waitFor } from './wait-for.ts';

/** A scrape job of {@link startPrometheus}: a name, the `host:port` addresses it scrapes, labels on every series. */
export interface PrometheusScrapeJob {
  readonly name: string;
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** A running Prometheus server: see {@link startPrometheus}. */
export interface RunningPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Waits until every target of every job has been scraped successfully at least once. */
  untilScraped(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a real Prometheus (`EBB_PROMETHEUS_BIN`, else Debian's `/usr/bin/prometheus`, installed by
 * scripts/setup.sh) on 127.0.0.1 at a free port, scraping `jobs` every `scrapeIntervalMs`, with its data in a
 * temporary folder removed at `stop`. It is killed with the test process.
 */
export async function startPrometheus(jobs: readonly PrometheusScrapeJob[], scrapeIntervalMs = 1000): Promise<RunningPrometheus> {
  const command = process.env['EBB_PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';
  if (!existsSync(command)) throw new Error(`no Prometheus binary at ${command}: install Debian's package (apt-get install -y prometheus) or set EBB_PROMETHEUS_BIN`);
  const dir = await mkdtemp(join(tmpdir(), 'ebb-prometheus-'));
  const port = await findFreePort();
  const job = (j: PrometheusScrapeJob): string[] => [
    `  - job_name: ${JSON.stringify(j.name)}`,
    '    static_configs:',
    `      - targets: ${JSON.stringify(j.targets)}`,
    `        labels: ${JSON.stringify(j.labels ?? {})}`,
  ];
  const interval = `${scrapeIntervalMs}ms`;
  await writeFile(join(dir, 'prometheus.yml'), ['global:', `  scrape_interval: ${interval}`, `  scrape_timeout: ${Math.min(scrapeIntervalMs, 1000)}ms`, 'scrape_configs:', ...jobs.flatMap(job), ''].join('\n'));
  const url = `http://127.0.0.1:${port}`;
  let proc: OwnedProcess | undefined;
  try {
    proc = startOwnedProcess({
      command,
      args: [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      logFile: join(dir, 'prometheus.log'),
    });
    await waitFor(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true, { timeoutMs: 60_000, description: `Prometheus ready at ${url}` });
  } catch (error) {
    await proc?.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const running = proc;
  const expected = jobs.reduce((n, j) => n + j.targets.length, 0);
  return {
    url,
    async untilScraped(timeoutMs = 60_000) {
      await waitFor(
        async () => {
          const body = (await (await fetch(`${url}/api/v1/targets?state=active`)).json()) as { data?: { activeTargets?: Array<{ health?: string }> } };
          const targets = body.data?.activeTargets ?? [];
          return targets.length === expected && targets.every((t) => t.health === 'up');
        },
        { timeoutMs, description: `Prometheus at ${url} scraping all ${expected} targets (log: ${running.logTail(5)})` },
      );
    },
    async stop() {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
