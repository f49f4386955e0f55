/**
 * Runs engine calls that arrive over a message port, whatever carries it: Electron's utility
 * process parentPort, or a worker thread's parentPort for the web host and tests. Each call gets
 * its own AbortController; `cancel` (or the cancelJob method) aborts it.
 */
import {
  isMethodName,
  parseArgs,
  ContractViolation,
  type CallContext,
  type EngineHandlers,
  type MethodName,
  type MethodParsedArgs,
} from '../../shared/contract';
import { HostRequestSchema, collectTransferables, type HostReply } from '../../shared/engine-protocol';
import { toErrorShape } from '../../shared/errors';
import { answerWithoutNativeSave, isSaveMethod } from '../../shared/save-contract';
import type { Logger } from '../context';
import { isGivenAway } from './transfer';

export interface HostPort {
  postMessage(message: HostReply, transfer: ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
}

export function serveEngine(port: HostPort, handlers: EngineHandlers, logger: Logger): void {
  const running = new Map<number, AbortController>();

  const reply = (message: HostReply) => {
    const transfer = message.kind === 'result' && message.ok ? collectTransferables(message.value).filter(isGivenAway) : [];
    port.postMessage(message, transfer);
  };

  const cancel = (id: number): boolean => {
    const controller = running.get(id);
    if (!controller) return false;
    controller.abort();
    return true;
  };

  port.onMessage((raw) => {
    const parsed = HostRequestSchema.safeParse(raw);
    if (!parsed.success) {
      logger.warn('engine host: dropped a malformed message', { issues: parsed.error.issues.length });
      return;
    }
    const request = parsed.data;
    if (request.kind === 'cancel') {
      cancel(request.id);
      return;
    }
    const { id, method } = request;
    if (!isMethodName(method)) {
      reply({ kind: 'result', id, ok: false, error: { code: 'VALIDATION', message: `Unknown method: ${method}` } });
      return;
    }
    void runCall(id, method, request.args);
  });

  async function runCall(id: number, method: MethodName, rawArgs: unknown[]) {
    const controller = new AbortController();
    running.set(id, controller);
    const jobId = String(id);
    const call: CallContext = {
      jobId,
      signal: controller.signal,
      emitProgress: (progress) => reply({ kind: 'event', event: 'onProgress', payload: { jobId, ...progress } }),
    };
    try {
      const args = parseArgs(method, rawArgs);
      const value =
        method === 'cancelJob'
          ? cancel(Number((args as MethodParsedArgs<'cancelJob'>)[0].jobId))
          : isSaveMethod(method)
            ? answerWithoutNativeSave(method)
            : await (handlers[method] as (a: unknown, c: CallContext) => Promise<unknown>)(args[0], call);
      reply({ kind: 'result', id, ok: true, value });
    } catch (error) {
      const shape =
        error instanceof ContractViolation ? { code: 'VALIDATION' as const, message: error.message } : toErrorShape(error);
      if (shape.code === 'INTERNAL') logger.error(`engine call ${method} failed`, { message: shape.message });
      reply({ kind: 'result', id, ok: false, error: shape });
    } finally {
      running.delete(id);
    }
  }

  port.postMessage({ kind: 'ready' }, []);
}
