/**
 * One pool of onnxruntime sessions for the whole engine, keyed by (model id, provider).
 *
 * Sessions are created lazily on first use, with the first provider in the order (see
 * providers.ts) that both creates the session and survives a warm-up run; every provider that
 * failed on the way is recorded with ORT's message and reported beside the one in use. Runs on one
 * session are serialised. Sessions are released explicitly, or after an idle time when asked.
 */
import { InferenceSession, type Tensor } from 'onnxruntime-node';
import { SeamError } from '../../shared/errors';
import { silentLogger, type Logger } from '../context';
import type { TensorSpec } from '../models/manifest';
import {
  explainProviderFailure,
  isProcessWideFailure,
  planProviders,
  type ProviderFailure,
  type ProviderName,
  type ProviderOrderOptions,
} from './providers';
import { SerialQueue } from './serial-queue';
import { toTensorSpec } from './tensor-metadata';
import { zeroFeeds, type Feeds } from './zero-feeds';

/** What the pool needs to know about a model: its id, where its file is, its declared inputs. */
export interface ModelRef {
  id: string;
  /** Absolute path of the .onnx file. */
  path: string;
  /** Declared inputs from the manifest; they give sizes to symbolic dimensions for the warm-up. */
  inputs?: readonly TensorSpec[];
}

export type SessionOptions = Omit<InferenceSession.SessionOptions, 'executionProviders'>;

export interface SessionPoolOptions extends ProviderOrderOptions {
  logger?: Logger;
  /** Release a session after this many ms without a run; absent or 0 keeps sessions until released. */
  idleReleaseMs?: number;
  /** Run once with zero inputs right after creation (default true). */
  warmUp?: boolean;
  sessionOptions?: SessionOptions;
}

export interface AcquireOptions {
  /** Overrides the pool's provider order for this model. */
  providers?: readonly ProviderName[];
}

export interface RunOptions {
  signal?: AbortSignal;
}

export interface PooledSessionInfo {
  modelId: string;
  path: string;
  provider: ProviderName;
  /** Providers tried before this one, and why each failed. */
  failures: ProviderFailure[];
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  createTimeMs: number;
  warmUpMs: number | null;
  runs: number;
}

/** Failures that will repeat for every model in this process (missing provider libraries). */
const processWideFailures = new Map<string, string>();

/** A live session and its queue. Obtain it from the pool; do not keep it past a release. */
export class PooledSession {
  private readonly queue = new SerialQueue();
  private closed = false;
  private runCount = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly modelId: string,
    readonly path: string,
    readonly provider: ProviderName,
    readonly failures: readonly ProviderFailure[],
    private readonly session: InferenceSession,
    private readonly timings: { createTimeMs: number; warmUpMs: number | null },
    private readonly onIdle: ((session: PooledSession) => void) | undefined,
    private readonly idleReleaseMs: number,
  ) {}

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.session.outputNames;
  }

  get inputMetadata(): readonly InferenceSession.ValueMetadata[] {
    return this.session.inputMetadata;
  }

  get outputMetadata(): readonly InferenceSession.ValueMetadata[] {
    return this.session.outputMetadata;
  }

  get isReleased(): boolean {
    return this.closed;
  }

  /** Queued behind any run already in progress on this session. */
  run(feeds: Feeds, options: RunOptions = {}): Promise<Record<string, Tensor>> {
    if (this.closed) return Promise.reject(this.releasedError());
    this.clearIdleTimer();
    return this.queue
      .push(async () => {
        if (this.closed) throw this.releasedError();
        // ORT cannot stop a run half-way, so cancellation is honoured before each one starts.
        options.signal?.throwIfAborted();
        const outputs = await this.session.run(feeds);
        this.runCount += 1;
        return outputs as Record<string, Tensor>;
      })
      .finally(() => this.armIdleTimer());
  }

  info(): PooledSessionInfo {
    return {
      modelId: this.modelId,
      path: this.path,
      provider: this.provider,
      failures: [...this.failures],
      inputs: this.session.inputMetadata.map(toTensorSpec),
      outputs: this.session.outputMetadata.map(toTensorSpec),
      createTimeMs: this.timings.createTimeMs,
      warmUpMs: this.timings.warmUpMs,
      runs: this.runCount,
    };
  }

  /** Waits for queued runs, then frees the native session. Later runs are refused. */
  async dispose(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clearIdleTimer();
    await this.queue.drain();
    await this.session.release();
  }

  armIdleTimer(): void {
    if (this.closed || this.idleReleaseMs <= 0 || !this.onIdle || this.queue.size > 0) return;
    this.clearIdleTimer();
    this.idleTimer = setTimeout(() => this.onIdle?.(this), this.idleReleaseMs);
    // An idle timer must not keep a CLI process alive.
    this.idleTimer.unref();
  }

  private clearIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private releasedError(): SeamError {
    return new SeamError('INTERNAL', `The session for model "${this.modelId}" was released; acquire it again from the pool.`);
  }
}

const keyOf = (modelId: string, provider: string) => `${modelId}\u0000${provider}`;

export class SessionPool {
  private readonly sessions = new Map<string, PooledSession>();
  /** Per model: providers that failed for it, so a later acquire does not retry them. */
  private readonly failures = new Map<string, Map<string, ProviderFailure>>();
  /** Per model: creation is serialised so two callers never build the same session twice. */
  private readonly creationQueues = new Map<string, SerialQueue>();
  private readonly logger: Logger;

  constructor(private readonly options: SessionPoolOptions = {}) {
    this.logger = options.logger ?? silentLogger;
  }

  /** The session for `model`, created (and warmed up) on first use. */
  acquire(model: ModelRef, options: AcquireOptions = {}): Promise<PooledSession> {
    let queue = this.creationQueues.get(model.id);
    if (!queue) {
      queue = new SerialQueue();
      this.creationQueues.set(model.id, queue);
    }
    return queue.push(() => this.acquireNow(model, options));
  }

  async run(model: ModelRef, feeds: Feeds, options: RunOptions & AcquireOptions = {}): Promise<Record<string, Tensor>> {
    const session = await this.acquire(model, options);
    return session.run(feeds, options);
  }

  /** Every live session, with its provider and the failures that led to it. */
  list(): PooledSessionInfo[] {
    return [...this.sessions.values()].map((s) => s.info());
  }

  /** Frees every session of this model (on every provider) and forgets its provider failures. */
  async release(modelId: string): Promise<void> {
    const doomed = [...this.sessions.entries()].filter(([, s]) => s.modelId === modelId);
    for (const [key] of doomed) this.sessions.delete(key);
    this.failures.delete(modelId);
    await Promise.all(doomed.map(([, s]) => s.dispose()));
    if (doomed.length > 0) this.logger.debug('released model sessions', { model: modelId, count: doomed.length });
  }

  async releaseAll(): Promise<void> {
    const ids = new Set([...this.sessions.values()].map((s) => s.modelId));
    await Promise.all([...ids].map((id) => this.release(id)));
    this.failures.clear();
  }

  private async acquireNow(model: ModelRef, options: AcquireOptions): Promise<PooledSession> {
    // A model file replaced under the same id (a re-import) must not keep serving the old session.
    const stale = [...this.sessions.values()].filter((s) => s.modelId === model.id && s.path !== model.path);
    if (stale.length > 0) await this.release(model.id);

    const plan = planProviders({ ...this.options, providers: options.providers ?? this.options.providers });
    let failed = this.failures.get(model.id);
    if (!failed) {
      failed = new Map();
      this.failures.set(model.id, failed);
    }
    for (const skip of plan.skipped) failed.set(skip.provider, skip);

    for (const provider of plan.candidates) {
      const existing = this.sessions.get(keyOf(model.id, provider));
      if (existing && !existing.isReleased) return existing;
      if (failed.has(provider)) continue;
      // Only the providers ahead of this one in the order explain why it is the one in use.
      const ahead = plan.requested.slice(0, plan.requested.indexOf(provider));
      const created = await this.tryCreate(model, provider, this.failuresInOrder(failed, ahead));
      if ('failure' in created) {
        failed.set(provider, created.failure);
        continue;
      }
      this.sessions.set(keyOf(model.id, provider), created.session);
      this.logger.info('model session ready', {
        model: model.id,
        provider,
        createMs: Math.round(created.session.info().createTimeMs),
        failures: created.session.failures,
      });
      return created.session;
    }
    throw this.noProviderError(model, this.failuresInOrder(failed, plan.requested));
  }

  /** Failures so far, in the order the providers were asked for. */
  private failuresInOrder(failed: Map<string, ProviderFailure>, requested: readonly ProviderName[]): ProviderFailure[] {
    return requested.flatMap((p) => failed.get(p) ?? []);
  }

  private async tryCreate(
    model: ModelRef,
    provider: ProviderName,
    failuresSoFar: ProviderFailure[],
  ): Promise<{ session: PooledSession } | { failure: ProviderFailure }> {
    const known = processWideFailures.get(provider);
    if (known !== undefined) return { failure: { provider, message: known } };

    const started = performance.now();
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(model.path, {
        graphOptimizationLevel: 'all',
        ...this.options.sessionOptions,
        executionProviders: [provider],
      });
    } catch (error) {
      const raw = error instanceof Error ? error.message : String(error);
      const message = explainProviderFailure(provider, raw);
      const missingLibraries = isProcessWideFailure(raw);
      if (missingLibraries) processWideFailures.set(provider, message);
      // Missing provider libraries are the normal state of a CPU-only install: doctor reports them,
      // so they are logged quietly; a provider that is installed yet fails is worth a warning.
      const fields = { model: model.id, provider, message };
      if (missingLibraries) this.logger.info('execution provider failed', fields);
      else this.logger.warn('execution provider failed', fields);
      return { failure: { provider, message } };
    }
    const createTimeMs = performance.now() - started;

    let warmUpMs: number | null = null;
    if (this.options.warmUp !== false) {
      // A provider that creates a session but cannot run it (an unsupported op, out of memory)
      // is as unusable as one that fails to load: fall through to the next.
      const warmStart = performance.now();
      try {
        await session.run(zeroFeeds(session.inputMetadata, model.inputs));
        warmUpMs = performance.now() - warmStart;
      } catch (error) {
        await session.release().catch(() => undefined);
        const message = `warm-up run failed: ${error instanceof Error ? error.message : String(error)}`;
        this.logger.warn('execution provider failed', { model: model.id, provider, message });
        return { failure: { provider, message } };
      }
    }

    const pooled = new PooledSession(
      model.id,
      model.path,
      provider,
      failuresSoFar,
      session,
      { createTimeMs, warmUpMs },
      (idle) => void this.releaseIdle(idle),
      this.options.idleReleaseMs ?? 0,
    );
    pooled.armIdleTimer();
    return { session: pooled };
  }

  private async releaseIdle(session: PooledSession): Promise<void> {
    const key = keyOf(session.modelId, session.provider);
    if (this.sessions.get(key) !== session) return;
    this.sessions.delete(key);
    this.logger.debug('released idle model session', { model: session.modelId, provider: session.provider });
    await session.dispose();
  }

  private noProviderError(model: ModelRef, failures: ProviderFailure[]): SeamError {
    const lines = failures.map((f) => `${f.provider}: ${f.message}`).join('; ');
    const cpu = failures.find((f) => f.provider === 'cpu');
    // If even the CPU provider cannot load or run it, the file is the problem, not the machine.
    if (cpu) {
      return new SeamError('MODEL_INVALID', `Model "${model.id}" (${model.path}) could not be loaded: ${lines}`, { failures });
    }
    return new SeamError('MISSING_DEPENDENCY', `No execution provider could run model "${model.id}": ${lines || 'none to try'}`, {
      failures,
    });
  }
}
