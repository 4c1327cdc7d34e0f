import { defineConfig, field } from '../config/define-config.ts';

/**
 * Alibaba Cloud ACK Knative's reserve-instance annotations, understood so that a Knative Service's annotations
 * carry over unchanged. What ACK documents and what Ebb makes of it:
 *
 * | Alibaba annotation | Alibaba meaning | Ebb |
 * | --- | --- | --- |
 * | `knative.aliyun.com/reserve-instance` | `enable` turns reserve instances on | `ebb.dev/reserve` (`enable`/`true` on, `disable`/`false` off) |
 * | `knative.aliyun.com/reserve-instance-replicas` | number of reserve instances | alias of `ebb.dev/reserve.replicas` |
 * | `knative.aliyun.com/reserve-instance-type` | `eci` (ACK's default), `ecs` or `acs` | `eci`/`acs`: pod label `alibabacloud.com/eci` / `alibabacloud.com/acs` = `"true"` (how ACK's virtual node places a pod on ECI / ACS); `ecs`: ordinary nodes, no change |
 * | `knative.aliyun.com/reserve-instance-eci-use-specs` | ECI instance types (`ecs.t6-c1m1.large,ecs.t5-lc1m2.small`) or `<cpu>-<memory>Gi` | pod annotation `k8s.aliyun.com/eci-use-specs` with the same value |
 *
 * Where ACK defaults the type to `eci`, Ebb adds nothing when the type is absent: the reserve is placed like the
 * target. Other keys under `knative.aliyun.com/reserve-instance` are reported, not guessed.
 */

/** Alibaba's Knative annotation prefix. */
export const ALIYUN_PREFIX = 'knative.aliyun.com/';
/** The prefix of Alibaba's reserve-instance annotations. */
export const ALIYUN_RESERVE_PREFIX = `${ALIYUN_PREFIX}reserve-instance`;
/** The ECI pod annotation that lists instance specs. */
export const ECI_USE_SPECS_ANNOTATION = 'k8s.aliyun.com/eci-use-specs';
/** The pod labels that place a pod on ACK's virtual node, per reserve-instance type. */
export const ALIYUN_TYPE_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  eci: { 'alibabacloud.com/eci': 'true' },
  acs: { 'alibabacloud.com/acs': 'true' },
  ecs: {},
};

/** One ECI spec: an instance type (`ecs.t6-c1m1.large`) or `<cpu>-<memory>Gi` (`1-2Gi`, `0.5-1Gi`). */
const ECI_SPEC = String.raw`(ecs\.[a-z0-9][-a-z0-9.]*|\d+(\.\d+)?-\d+(\.\d+)?Gi)`;
/** One to five specs, comma-separated (ECI takes at most five). */
const ECI_SPECS = new RegExp(String.raw`${ECI_SPEC}(\s*,\s*${ECI_SPEC}){0,4}`);

/** The Alibaba keys, read under {@link ALIYUN_PREFIX}. */
export const aliyunReserveSchema = defineConfig({
  enabled: field({
    key: 'reserve-instance',
    type: { kind: 'enum', values: ['enable', 'disable', 'true', 'false'] },
    default: 'disable',
    description: 'Alibaba: `enable` keeps a reserve instance; same as ebb.dev/reserve.',
  }),
  type: field({
    key: 'reserve-instance-type',
    type: { kind: 'enum', values: ['eci', 'ecs', 'acs'] },
    default: 'ecs',
    description: 'Alibaba: where the reserve runs; `eci`/`acs` add the pod label that places it on the virtual node.',
  }),
  eciUseSpecs: field({
    key: 'reserve-instance-eci-use-specs',
    type: { kind: 'string', pattern: ECI_SPECS, patternText: 'one to five comma-separated ECI specs such as ecs.t6-c1m1.large or 1-2Gi' },
    default: '',
    description: 'Alibaba: ECI instance types or `<cpu>-<memory>Gi`; becomes the reserve pods\' k8s.aliyun.com/eci-use-specs annotation.',
  }),
});

/** The pod labels and annotations the Alibaba keys add to the reserve's shape. */
export function aliyunShape(
  annotations: Readonly<Record<string, string>>,
  parsed: { readonly type: string; readonly eciUseSpecs: string },
): { podLabels: Readonly<Record<string, string>>; podAnnotations: Readonly<Record<string, string>> } {
  const typeWritten = annotations[`${ALIYUN_PREFIX}reserve-instance-type`] !== undefined;
  const specs = parsed.eciUseSpecs
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    podLabels: typeWritten ? (ALIYUN_TYPE_LABELS[parsed.type] ?? {}) : {},
    podAnnotations: specs.length ? { [ECI_USE_SPECS_ANNOTATION]: specs.join(',') } : {},
  };
}
