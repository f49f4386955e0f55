/**
 * Messages between a contract client (Electron main, the web host) and an engine host (a utility
 * process or a worker thread). Calls carry the method name and its arguments; replies carry the
 * result or a SeamError shape; events are pushed. Binary data travels as ArrayBuffers inside the
 * value (structured clone, transferred where the channel allows), never as JSON or base64.
 */
import { z } from 'zod';
import type { SeamErrorShape } from './errors';

export const HostRequestSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('call'), id: z.number().int().nonnegative(), method: z.string(), args: z.array(z.unknown()) }),
  z.object({ kind: z.literal('cancel'), id: z.number().int().nonnegative() }),
]);
export type HostRequest = z.infer<typeof HostRequestSchema>;

export type HostReply =
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: SeamErrorShape }
  | { kind: 'event'; event: string; payload: unknown }
  | { kind: 'ready' };

/** Collects the ArrayBuffers inside a value so a channel that can transfer them does (no copy). */
export function collectTransferables(value: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (depth > 8 || value === null || typeof value !== 'object') return out;
  if (value instanceof ArrayBuffer) {
    if (!out.includes(value)) out.push(value);
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && !out.includes(buffer)) out.push(buffer);
    return out;
  }
  for (const item of Array.isArray(value) ? value : Object.values(value)) collectTransferables(item, out, depth + 1);
  return out;
}
