import { Counter, Gauge, type Registry } from 'prom-client';
import type { TargetKey } from '../contracts/target.ts';
import type { ReserveObserver } from './reserve-observer.ts';
import { RESERVE_PHASES, type ReserveAction, type ReservePhase } from './swap-plan.ts';

/** Splits a target key into Prometheus labels. */
function labels(target: TargetKey): { namespace: string; name: string } {
  const i = target.indexOf('/');
  return { namespace: target.slice(0, i), name: target.slice(i + 1) };
}

/**
 * {@link ReserveObserver} on prom-client, registered on the scaler's own registry:
 * `ebb_reserve_phase{namespace,name,phase}` (1 for the current phase, 0 for the others),
 * `ebb_reserve_not_ready{namespace,name}` (1 while the reserve has not become Ready in time) and
 * `ebb_reserve_actions_total{namespace,name,action,result}`.
 */
export class ReservePromMetrics implements ReserveObserver {
  private readonly phases: Gauge;
  private readonly notReadyGauge: Gauge;
  private readonly actions: Counter;
  private readonly actionsOf = new Map<TargetKey, Set<string>>();

  constructor(registry: Registry) {
    const registers = [registry];
    this.phases = new Gauge({ name: 'ebb_reserve_phase', help: 'Reserve swap phase of a target (1 for the current one)', labelNames: ['namespace', 'name', 'phase'], registers });
    this.notReadyGauge = new Gauge({
      name: 'ebb_reserve_not_ready',
      help: '1 while the reserve of a target has not become Ready within its ready timeout',
      labelNames: ['namespace', 'name'],
      registers,
    });
    this.actions = new Counter({ name: 'ebb_reserve_actions_total', help: 'Writes of the reserve swap', labelNames: ['namespace', 'name', 'action', 'result'], registers });
  }

  phase(target: TargetKey, phase: ReservePhase): void {
    for (const p of RESERVE_PHASES) this.phases.set({ ...labels(target), phase: p }, p === phase ? 1 : 0);
  }

  notReady(target: TargetKey, notReady: boolean): void {
    this.notReadyGauge.set(labels(target), notReady ? 1 : 0);
  }

  action(target: TargetKey, action: ReserveAction['kind'], result: 'ok' | 'error'): void {
    let seen = this.actionsOf.get(target);
    if (!seen) this.actionsOf.set(target, (seen = new Set()));
    seen.add(`${action}\n${result}`);
    this.actions.inc({ ...labels(target), action, result });
  }

  forget(target: TargetKey): void {
    const l = labels(target);
    for (const p of RESERVE_PHASES) this.phases.remove({ ...l, phase: p });
    this.notReadyGauge.remove(l);
    for (const s of this.actionsOf.get(target) ?? []) {
      const [action = '', result = ''] = s.split('\n');
      this.actions.remove({ ...l, action, result });
    }
    this.actionsOf.delete(target);
  }
}
