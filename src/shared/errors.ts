/**
 * The one error type that crosses every boundary (engine → CLI, engine → IPC → renderer).
 * `code` is for programs, `message` is for people: it names the file and the problem.
 */
export type SeamErrorCode =
  | 'BAD_INPUT' // the user's file or argument is wrong: corrupt, unsupported, out of range
  | 'NOT_FOUND' // a file, model or face that was asked for is not there
  | 'MODEL_INVALID' // a model file that fails its hash or contract check
  | 'MISSING_DEPENDENCY' // ffmpeg, a provider, a model that must be installed first
  | 'CANCELLED' // the user (or an AbortSignal) stopped the job
  | 'VALIDATION' // a malformed call across the contract
  | 'INTERNAL'; // a bug: the message still says what was being done

export class SeamError extends Error {
  override readonly name = 'SeamError';
  constructor(
    readonly code: SeamErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The plain shape a SeamError takes on the wire (structured clone and JSON both keep it). */
export interface SeamErrorShape {
  code: SeamErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function toErrorShape(error: unknown): SeamErrorShape {
  if (error instanceof SeamError) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  if (isAbortError(error)) return { code: 'CANCELLED', message: 'Cancelled.' };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

export function fromErrorShape(shape: SeamErrorShape): SeamError {
  return new SeamError(shape.code, shape.message, shape.details);
}

export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
