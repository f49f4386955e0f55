/**
 * The typed contract between the renderer and the engine. Every method is one entry here with a
 * schema for its arguments and its result; the main process validates calls against it, the
 * preload exposes exactly these methods, the web host carries the same calls over a socket, and
 * the engine implements them. Adding a capability means adding it here first.
 */
import { z } from 'zod';
import { DoctorReportSchema } from './doctor';
import { editorMethods } from './editor-contract';
import { modelMethods } from './model-contract';
import { uploadMethods } from './upload-contract';
import { projectMethods } from './project-contract';
import { saveMethods, type SaveMethodName } from './save-contract';
import { videoMethods } from './video-contract';
import type { EVENT_NAMES, METHOD_NAMES } from './contract-names';

export const ProgressEventSchema = z.object({
  jobId: z.string(),
  stage: z.string(),
  done: z.number(),
  total: z.number().optional(),
  message: z.string().optional(),
});
export type ProgressEvent = z.infer<typeof ProgressEventSchema>;

export const methods = {
  /** Facts about the machine, the runtimes, ffmpeg and the models (the About panel, `seam doctor`). */
  doctor: {
    args: z.tuple([z.object({ probeModels: z.boolean().default(true) }).strict().default({ probeModels: true })]),
    result: DoctorReportSchema,
  },
  /** Cancels a running job by the id its progress events carry. Resolves true if a job was running. */
  cancelJob: {
    args: z.tuple([z.object({ jobId: z.string().min(1).max(128) }).strict()]),
    result: z.boolean(),
  },
  ...editorMethods,
  ...uploadMethods,
  ...modelMethods,
  ...projectMethods,
  ...videoMethods,
  ...saveMethods,
} as const;

/**
 * Commands from the app around the page (menus, the OS opening a file with Seam): Electron's main
 * process sends them; in a browser the page's own buttons do the same things.
 */
export const AppCommandSchema = z.discriminatedUnion('command', [
  z.object({
    command: z.literal('open-file'),
    name: z.string(),
    bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array),
  }),
  z.object({
    command: z.enum([
      'open-dialog', 'export', 'undo', 'redo', 'zoom-in', 'zoom-out', 'zoom-fit', 'zoom-actual', 'about',
      'save', 'save-as', 'export-masks', 'toggle-before', 'toggle-overlay',
    ]),
  }),
]);
export type AppCommand = z.infer<typeof AppCommandSchema>;

export const events = {
  onProgress: ProgressEventSchema,
  onAppCommand: AppCommandSchema,
} as const;

export type MethodName = keyof typeof methods;
export type EventName = keyof typeof events;
export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

// The preload's name lists must match the schemas exactly, both ways; a mismatch is a type error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodNamesMatch: Same<(typeof METHOD_NAMES)[number], MethodName> = true;
const eventNamesMatch: Same<(typeof EVENT_NAMES)[number], EventName> = true;
void methodNamesMatch;
void eventNamesMatch;

export type MethodArgs<M extends MethodName> = z.input<(typeof methods)[M]['args']>;
export type MethodParsedArgs<M extends MethodName> = z.output<(typeof methods)[M]['args']>;
export type MethodResult<M extends MethodName> = z.output<(typeof methods)[M]['result']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** What the renderer sees: one async function per method, one `onX(listener) → unsubscribe` per event. */
export type SeamApi = {
  [M in MethodName]: (...args: MethodArgs<M>) => Promise<MethodResult<M>>;
} & {
  [E in EventName]: (listener: (payload: EventPayload<E>) => void) => () => void;
};

/** The engine's side: the same methods, with the parsed arguments and a per-call job context. */
export interface CallContext {
  jobId: string;
  signal: AbortSignal;
  emitProgress(progress: Omit<ProgressEvent, 'jobId'>): void;
}
/**
 * Methods the hosts answer themselves, not the engine's handlers: cancelJob (the engine host owns
 * the running jobs) and the save methods (Electron's main shows the dialog and writes; the web
 * host and the engine host answer `unsupported`, see save-contract.ts).
 */
export type HostMethodName = 'cancelJob' | SaveMethodName;
export type EngineHandlers = {
  [M in Exclude<MethodName, HostMethodName>]: (
    args: MethodParsedArgs<M>[0],
    call: CallContext,
  ) => Promise<MethodResult<M>>;
};

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(methods, value);
}

/** Validates a call's arguments; throws a readable message naming the method on failure. */
export function parseArgs<M extends MethodName>(method: M, args: unknown): MethodParsedArgs<M> {
  const parsed = methods[method].args.safeParse(args);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`)
      .join('; ');
    throw new ContractViolation(`Invalid arguments for ${method}: ${detail}`);
  }
  return parsed.data as MethodParsedArgs<M>;
}

export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}
