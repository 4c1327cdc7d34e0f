import type { Informer, KubernetesObject } from '@kubernetes/client-node';

/** Options of {@link keepInformerRunning}. */
export interface KeepInformerRunningOptions {
  /** Pause before restarting after an error, in ms. Default 500. */
  readonly restartDelayMs?: number;
  /** Sees every error (for logging or counting). */
  readonly onError?: (error: unknown) => void;
}

/** Handle returned by {@link keepInformerRunning}. */
export interface RunningInformer {
  /** Stops the informer and cancels any pending restart. */
  stop(): Promise<void>;
}

/**
 * Starts an informer and restarts it after every error. `@kubernetes/client-node` informers re-watch by
 * themselves when a watch ends cleanly, but stop for good on an error (for example a refused connection
 * while kube-apiserver restarts); this brings them back, resuming from the last resourceVersion.
 */
export async function keepInformerRunning<T extends KubernetesObject>(
  informer: Informer<T>,
  options: KeepInformerRunningOptions = {},
): Promise<RunningInformer> {
  const delayMs = options.restartDelayMs ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const restart = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!stopped) informer.start().catch(onError);
    }, delayMs);
  };
  const onError = (error: unknown): void => {
    options.onError?.(error);
    restart();
  };
  informer.on('error', onError);
  await informer.start();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      informer.off('error', onError);
      await informer.stop();
    },
  };
}
