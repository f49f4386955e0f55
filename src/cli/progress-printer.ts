/**
 * Progress of a long CLI job on stderr: one updating line on a terminal, plain lines in a log.
 */
import type { Progress } from '../engine/context';

/** The parts of a stream the command writes to; tests pass their own. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const STAGE_LABELS: Record<string, string> = {
  download: 'Downloading',
  copy: 'Copying',
  hash: 'Hashing',
  verify: 'Checking in onnxruntime',
};

export const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/**
 * One updating line on a terminal (\r, throttled to 10 per second); on a pipe or log file, a plain
 * line per 10 % step (or every 5 s without a total), so logs stay readable.
 */
export function progressPrinter(stream: OutputStream, now: () => number = Date.now): { onProgress: (p: Progress) => void; finish: () => void } {
  const tty = stream.isTTY === true;
  let lastStage = '';
  let lastDrawAt = 0;
  let lastStep = -1;
  let lineOpen = false;

  const text = (p: Progress) => {
    const label = STAGE_LABELS[p.stage] ?? p.stage;
    if (p.stage === 'verify') return `${label}…`;
    if (p.total === undefined || p.total === 0) return `${label} ${mb(p.done)} MB`;
    const percent = Math.min(100, Math.floor((p.done / p.total) * 100));
    return `${label} ${String(percent).padStart(3)}%  ${mb(p.done)} / ${mb(p.total)} MB`;
  };

  const onProgress = (p: Progress) => {
    const stageChanged = p.stage !== lastStage;
    const complete = p.total !== undefined && p.done >= p.total;
    if (tty) {
      if (stageChanged && lineOpen) stream.write('\n');
      if (!stageChanged && !complete && now() - lastDrawAt < 100) return;
      stream.write(`\r\x1b[2K${text(p)}`);
      lineOpen = true;
    } else {
      const step = p.total ? Math.floor((p.done / p.total) * 10) : Math.floor(now() / 5000);
      if (!stageChanged && step === lastStep) return;
      lastStep = step;
      stream.write(`${text(p)}\n`);
    }
    lastStage = p.stage;
    lastDrawAt = now();
  };

  const finish = () => {
    if (tty && lineOpen) stream.write('\n');
    lineOpen = false;
  };
  return { onProgress, finish };
}
