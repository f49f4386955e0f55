/**
 * The calling side of the engine protocol, independent of what carries it: Electron main over a
 * utility process port, the web host over a worker port, the renderer over the web host's socket.
 * It numbers calls, matches replies, forwards events and turns an AbortSignal into a cancel message.
 */
import type { HostReply, HostRequest } from './engine-protocol';
import { SeamError, fromErrorShape } from './errors';

export interface ClientTransport {
  send(request: HostRequest): void;
  onMessage(listener: (reply: unknown) => void): void;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void; cleanup: () => void };

export class RpcClient {
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #eventListeners = new Set<(event: string, payload: unknown) => void>();
  #closedReason: string | null = null;
  readonly #transport: ClientTransport;

  constructor(transport: ClientTransport) {
    this.#transport = transport;
    transport.onMessage((reply) => this.#receive(reply as HostReply));
  }

  call(method: string, args: unknown[], signal?: AbortSignal): Promise<unknown> {
    if (this.#closedReason) return Promise.reject(new SeamError('INTERNAL', this.#closedReason));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => this.#transport.send({ kind: 'cancel', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => signal?.removeEventListener('abort', onAbort);
      this.#pending.set(id, { resolve, reject, cleanup });
      this.#transport.send({ kind: 'call', id, method, args });
    });
  }

  /** Listens to pushed events (progress); returns the unsubscribe function. */
  onEvent(listener: (event: string, payload: unknown) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /** Fails every pending call, e.g. when the engine process died. */
  close(reason: string): void {
    this.#closedReason = reason;
    for (const [id, pending] of this.#pending) {
      pending.cleanup();
      pending.reject(new SeamError('INTERNAL', reason));
      this.#pending.delete(id);
    }
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  #receive(reply: HostReply) {
    if (reply === null || typeof reply !== 'object') return;
    if (reply.kind === 'event') {
      for (const listener of this.#eventListeners) listener(reply.event, reply.payload);
      return;
    }
    if (reply.kind !== 'result') return;
    const pending = this.#pending.get(reply.id);
    if (!pending) return;
    this.#pending.delete(reply.id);
    pending.cleanup();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(fromErrorShape(reply.error));
  }
}
