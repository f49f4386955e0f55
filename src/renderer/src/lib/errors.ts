/**
 * What the user reads when something fails: the SeamError's message (it names the file and the
 * problem), never a stack or an "Error:" prefix.
 */
export function readableError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string' && error.message.trim()) {
    return error.message.replace(/^(\w*Error|SeamError):\s*/, '').split('\n    at ')[0]!.trim();
  }
  return 'Something went wrong, and the engine gave no reason.';
}

/** True for the engine's "Cancelled." answer: the user asked for it, so nothing to report. */
export function isCancellation(error: unknown): boolean {
  return !!error && typeof error === 'object' && 'code' in error && error.code === 'CANCELLED';
}
