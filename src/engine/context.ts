/**
 * What every long engine call is handed explicitly, so the CLI, the tests, the web host and the
 * Electron engine host call the same functions with their own logger, progress sink and signal.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Progress {
  /** A short machine name for the step, e.g. 'download', 'convert', 'decode'. */
  stage: string;
  done: number;
  /** Absent when the total is not known yet (a download without Content-Length). */
  total?: number;
  message?: string;
}

export type ProgressSink = (progress: Progress) => void;

export interface JobContext {
  logger: Logger;
  onProgress?: ProgressSink;
  signal?: AbortSignal;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger that writes one line per event to stderr; the CLI's default. */
export function stderrLogger(minLevel: 'debug' | 'info' | 'warn' | 'error' = 'warn'): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const threshold = order.indexOf(minLevel);
  const write = (level: (typeof order)[number]) => (message: string, fields?: Record<string, unknown>) => {
    if (order.indexOf(level) < threshold) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`[seam ${level}] ${message}${suffix}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Throws the signal's AbortError when the job was cancelled; call it between steps. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}
