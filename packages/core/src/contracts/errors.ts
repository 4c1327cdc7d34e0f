/**
 * The catalogue of Ebb's error codes. Codes are stable: tests and users match on them, never on messages.
 */
export const ErrorCodes = {
  /** Two plugins (or collectors) registered under the same id. */
  PLUGIN_DUPLICATE_ID: 'EBB_PLUGIN_DUPLICATE_ID',
  /** A plugin names a dependency that is not registered. */
  PLUGIN_MISSING_DEPENDENCY: 'EBB_PLUGIN_MISSING_DEPENDENCY',
  /** A plugin requires a core version range this core does not satisfy. */
  PLUGIN_UNSUPPORTED_CORE: 'EBB_PLUGIN_UNSUPPORTED_CORE',
  /** A plugin's manifest is malformed (missing id, bad version, ...). */
  PLUGIN_INVALID_MANIFEST: 'EBB_PLUGIN_INVALID_MANIFEST',
  /** An external plugin package could not be imported or exports no plugin. */
  PLUGIN_LOAD_FAILED: 'EBB_PLUGIN_LOAD_FAILED',
  /** A plugin threw inside `recommend`; its target holds, other targets continue. */
  PLUGIN_THREW: 'EBB_PLUGIN_THREW',
  /** A target's annotations are invalid; the target is left untouched until fixed. */
  CONFIG_INVALID: 'EBB_CONFIG_INVALID',
  /** The scaler's own config file is invalid. */
  CONFIG_FILE_INVALID: 'EBB_CONFIG_FILE_INVALID',
  /** A metric collector failed; its windows get no sample (a failure is never a zero). */
  COLLECTOR_FAILED: 'EBB_COLLECTOR_FAILED',
  /** Patching the scale subresource failed after retries. */
  SCALE_FAILED: 'EBB_SCALE_FAILED',
  /** No Kubernetes configuration could be found or the apiserver is unreachable. */
  KUBE_UNAVAILABLE: 'EBB_KUBE_UNAVAILABLE',
  /** A command-line usage error. */
  USAGE: 'EBB_USAGE',
} as const;

/** One of {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** An error with a stable {@link ErrorCode}. */
export class EbbError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EbbError';
    this.code = code;
  }
}

/** True when `e` is an {@link EbbError} with the given code (or any code when omitted). */
export function isEbbError(e: unknown, code?: ErrorCode): e is EbbError {
  return e instanceof EbbError && (code === undefined || e.code === code);
}
