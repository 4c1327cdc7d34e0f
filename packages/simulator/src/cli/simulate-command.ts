import { writeFileSync } from 'node:fs';
import { svgToPng, type ModuleLoader } from '../report/png-export.ts';
import { jsonReport } from '../report/json-report.ts';
import { ProgressBar } from '../report/progress-bar.ts';
import { svgChart } from '../report/svg-chart.ts';
import { terminalReport } from '../report/terminal-report.ts';
import { runSimulation } from '../run/run-simulation.ts';
import { rolloutReport } from '../rollout/rollout-report.ts';
import { runRolloutReplay } from '../rollout/run-rollout.ts';
import { isSimulatorInputError, SimulatorErrorCodes } from '../trace/input-error.ts';
import { parseSimulateArgs, SIMULATE_USAGE } from './cli-args.ts';

/** Where `ebb simulate` writes. */
export interface SimulateIo {
  /** Standard output (tables, JSON). */
  readonly stdout: (s: string) => void;
  /** Standard error (messages, the progress bar). */
  readonly stderr: (s: string) => void;
  /** Whether stderr is a terminal (the progress bar draws only then). */
  readonly stderrIsTTY: boolean;
  /** Writes an output file (SVG, PNG); default `writeFileSync`. */
  readonly writeFile?: (path: string, data: string | Uint8Array) => void;
  /** Loads the optional PNG renderer; default dynamic `import`. */
  readonly loadModule?: ModuleLoader;
}

/** The process's own streams. */
export function processIo(): SimulateIo {
  return {
    stdout: (s) => void process.stdout.write(s),
    stderr: (s) => void process.stderr.write(s),
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

/**
 * `ebb simulate TRACE [options]` (see {@link SIMULATE_USAGE}): runs the simulation and prints the summary (or
 * JSON), writes the chart files, and returns the exit code: 0 done, 1 bad input (the message names the file,
 * the line and the problem), 2 usage error. A missing PNG renderer writes everything else, says what to
 * install, and returns 1.
 */
export async function simulateCommand(argv: readonly string[], io: SimulateIo = processIo()): Promise<number> {
  let args: ReturnType<typeof parseSimulateArgs>;
  try {
    args = parseSimulateArgs(argv);
  } catch (e) {
    if (!isSimulatorInputError(e)) throw e;
    io.stderr(`ebb simulate: ${e.message}\n`);
    if (e.code === SimulatorErrorCodes.OPTIONS_INVALID) {
      io.stderr('run "ebb simulate --help" for the options\n');
      return 2;
    }
    return 1;
  }
  if (args.help) {
    io.stdout(SIMULATE_USAGE);
    return 0;
  }
  const bar = new ProgressBar({ write: io.stderr, isTTY: io.stderrIsTTY && args.progress });
  const write = io.writeFile ?? ((path: string, data: string | Uint8Array) => writeFileSync(path, data));
  try {
    if (args.rollout) {
      const replay = await runRolloutReplay({ ...args.options, rolloutAtMs: args.rollout.atMs, rolloutDurationMs: args.rollout.durationMs, maxSurgePods: args.rollout.maxSurgePods });
      io.stdout(args.json ? `${JSON.stringify(replay, null, 2)}\n` : rolloutReport(replay));
      return 0;
    }
    const result = await runSimulation({ ...args.options, onProgress: (done, total, name) => bar.update(done, total, name) });
    bar.done();
    io.stdout(args.json ? jsonReport(result) : terminalReport(result, { perFunction: args.perFunction }));
    if (args.svg || args.png) {
      const svg = svgChart(result);
      if (args.svg) {
        write(args.svg, svg);
        if (!args.json) io.stdout(`chart: ${args.svg}\n`);
      }
      if (args.png) {
        write(args.png, await svgToPng(svg, 2400, io.loadModule));
        if (!args.json) io.stdout(`chart: ${args.png}\n`);
      }
    }
    return 0;
  } catch (e) {
    bar.done();
    if (!isSimulatorInputError(e)) throw e;
    io.stderr(`ebb simulate: ${e.message}\n`);
    return e.code === SimulatorErrorCodes.OPTIONS_INVALID ? 2 : 1;
  }
}
