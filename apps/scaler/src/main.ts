#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { isEbbError, loadKubeConfig, PluginRegistry, systemClock } from '@ebb/core';
import { startGateway } from '@ebb/plugin-eventgw';
import { simulateCommand } from '@ebb/simulator';
import { BUILTIN_FACTORIES } from './builtins.ts';
import { convertCommand } from './commands/convert.ts';
import { explainCommand } from './commands/explain.ts';
import { validateCommand } from './commands/validate.ts';
import { loadConfigFile, type ScalerConfig } from './runtime/config-file.ts';
import { jsonLogger } from './runtime/logger.ts';
import { loadPlugins, OFFLINE_CONTEXT } from './runtime/plugin-loader.ts';
import { startScaler } from './runtime/scaler.ts';
import { EBB_VERSION } from './version.ts';

const USAGE = `ebb: autoscaler for Kubernetes Deployments

Usage:
  ebb run [--config FILE] [--kubeconfig PATH] [--namespace NS]... [--port N] [--log-level L]
      Run the scaler: watch Deployments labelled ebb.dev/autoscale=true and scale them.
  ebb gateway [--kubeconfig PATH] [--namespace NS]... [--port N] [--admin-port N] [--scaler URL]
      Run the event gateway: routes requests for opted-in targets to their ready pods, holds them at zero.
      --scaler: where to poke a target at zero; a host name is resolved and every address poked (give it the
      scaler's headless Service, so that every scaler replica hears it).
      --lease-namespace NS [--lease-group NAME]: share each pod's containerConcurrency with the other gateway
      replicas of the group (default group ebb-gateway) through one Lease per replica in NS; needed whenever
      more than one replica runs.
  ebb simulate TRACE [--preset NAME]... [--compare] [--config FILE] [--json] [--svg FILE] [--png FILE]
      Replay a traffic trace through the real policies on a virtual clock (ebb simulate --help).
  ebb validate FILE|- [--config FILE]
      Lint the Ebb/Knative annotations of the Deployments in a manifest (exit 1 on problems).
  ebb convert FILE|- [--format yaml|patch] [--config FILE]
      Turn HPA, KEDA (ScaledObject, HTTPScaledObject, InterceptorRoute) and Knative Service manifests into Ebb
      annotations for their Deployments (a note on stderr for each setting not carried over).
  ebb explain NAMESPACE/NAME [--scaler URL] [--kubeconfig PATH]
      What each plugin recommends for a live target and why, and what happens next.
  ebb --version
      Print the version.
`;

const out = (s: string) => process.stdout.write(s);

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V') {
    out(`${EBB_VERSION}\n`);
    return 0;
  }
  // `simulate` has options of its own.
  if (argv[0] === 'simulate') return simulateCommand(argv.slice(1));
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      kubeconfig: { type: 'string' },
      namespace: { type: 'string', multiple: true },
      port: { type: 'string' },
      'log-level': { type: 'string' },
      scaler: { type: 'string' },
      'admin-port': { type: 'string' },
      'lease-namespace': { type: 'string' },
      'lease-group': { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg] = positionals;
  if (values.help || !command) {
    out(USAGE);
    return command || values.help ? 0 : 2;
  }
  const file = loadConfigFile(values.config);
  const config: ScalerConfig = {
    ...file,
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.namespace?.length ? { namespaces: values.namespace } : {}),
    ...(values['log-level'] ? { logLevel: values['log-level'] as ScalerConfig['logLevel'] } : {}),
    ...(values.port ? { http: { ...file.http, port: Number(values.port) } } : {}),
  };
  switch (command) {
    case 'run': {
      const scaler = await startScaler({ config, builtins: BUILTIN_FACTORIES });
      await new Promise<void>((resolve) => {
        const shutdown = () => void scaler.stop().then(resolve);
        process.once('SIGTERM', shutdown);
        process.once('SIGINT', shutdown);
      });
      return 0;
    }
    case 'gateway': {
      const logger = jsonLogger({ level: config.logLevel, clock: systemClock, base: { component: 'ebb-gateway' } });
      const gateway = await startGateway({
        kubeConfig: loadKubeConfig(config.kubeconfig).kc,
        namespaces: config.namespaces,
        port: values.port ? Number(values.port) : 8080,
        adminPort: values['admin-port'] ? Number(values['admin-port']) : 9090,
        ...(values.scaler ? { scalerUrl: values.scaler } : {}),
        ...(values['lease-namespace'] ? { coordination: { namespace: values['lease-namespace'], ...(values['lease-group'] ? { group: values['lease-group'] } : {}) } } : {}),
        logger,
      });
      logger.info('gateway started', { port: gateway.port, adminPort: gateway.adminPort, gatewayId: gateway.gatewayId });
      await new Promise<void>((resolve) => {
        const shutdown = () => void gateway.stop().then(resolve);
        process.once('SIGTERM', shutdown);
        process.once('SIGINT', shutdown);
      });
      return 0;
    }
    case 'validate': {
      if (!arg) return usage('validate needs a FILE or - for standard input');
      const registry = new PluginRegistry();
      for (const p of await loadPlugins(config.plugins, BUILTIN_FACTORIES, config.pluginOptions, OFFLINE_CONTEXT)) registry.register(p);
      return validateCommand(arg, registry.plugins(), out);
    }
    case 'convert': {
      if (!arg) return usage('convert needs a FILE or - for standard input');
      const registry = new PluginRegistry();
      for (const p of await loadPlugins(config.plugins, BUILTIN_FACTORIES, config.pluginOptions, OFFLINE_CONTEXT)) registry.register(p);
      return convertCommand(arg, values.format, registry.plugins(), out, (s) => process.stderr.write(s));
    }
    case 'explain': {
      if (!arg) return usage('explain needs NAMESPACE/NAME');
      return explainCommand(arg, { scalerUrl: values.scaler ?? `http://127.0.0.1:${config.http.port}`, kc: () => loadKubeConfig(config.kubeconfig).kc }, out);
    }
    default:
      return usage(`unknown command "${command}"`);
  }
}

function usage(problem: string): number {
  process.stderr.write(`ebb: ${problem}\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(isEbbError(e) ? `ebb: ${e.code}: ${e.message}\n` : `ebb: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
