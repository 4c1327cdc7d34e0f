import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, startOwnedProcess, waitFor, type OwnedProcess } from '@ebb/testing';

/** The Debian package that provides the binary (see scripts/setup.sh). */
export const PROMETHEUS_APT_LINE = 'apt-get install -y prometheus';

/** Where the binary is looked for: `EBB_PROMETHEUS_BIN`, then Debian's path. */
function prometheusBinary(): string {
  const path = process.env['EBB_PROMETHEUS_BIN'] ?? '/usr/bin/prometheus';
  if (!existsSync(path)) {
    throw new Error(`no Prometheus binary at ${path}: install Debian's package (${PROMETHEUS_APT_LINE}) or set EBB_PROMETHEUS_BIN`);
  }
  return path;
}

/** A scrape job: a name and the `host:port` addresses it scrapes, with extra labels on every series. */
export interface ScrapeJob {
  readonly name: string;
  readonly targets: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
}

/** A running Prometheus server for a test. */
export interface TestPrometheus {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** Waits until every target of every job has been scraped successfully at least once. */
  untilScraped(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts a real Prometheus (Debian's package) on 127.0.0.1 at a free port, scraping `jobs` every
 * `scrapeIntervalMs`, with its data in a temporary folder removed at `stop`. It is killed with the test process.
 */
export async function startTestPrometheus(jobs: readonly ScrapeJob[], scrapeIntervalMs = 1000): Promise<TestPrometheus> {
  const command = prometheusBinary();
  const dir = await mkdtemp(join(tmpdir(), 'ebb-prometheus-'));
  const port = await findFreePort();
  const config = [
    'global:',
    `  scrape_interval: ${scrapeIntervalMs}ms`,
    `  scrape_timeout: ${Math.min(scrapeIntervalMs, 1000)}ms`,
    'scrape_configs:',
    ...jobs.flatMap((j) => [
      `  - job_name: ${JSON.stringify(j.name)}`,
      '    static_configs:',
      `      - targets: ${JSON.stringify(j.targets)}`,
      `        labels: ${JSON.stringify(j.labels ?? {})}`,
    ]),
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), `${config}\n`);
  const url = `http://127.0.0.1:${port}`;
  let proc: OwnedProcess;
  try {
    proc = startOwnedProcess({
      command,
      args: [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      logFile: join(dir, 'prometheus.log'),
    });
    await waitFor(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true, {
      timeoutMs: 60_000,
      description: `Prometheus ready at ${url}`,
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
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
        { timeoutMs, description: `Prometheus at ${url} scraping all ${expected} targets (log: ${proc.logTail(5)})` },
      );
    },
    async stop() {
      await proc.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
