/**
 * A long-lived PyTorch reference process (reference/time_reference.py --serve) that times one
 * generation or encoding per request, so a benchmark can interleave torch and onnxruntime runs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { REFERENCE_DIR } from './python-torch';

export class TorchWorker {
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly maxAbsDifferenceToReference: number,
    lines: AsyncIterator<string>,
  ) {
    this.lines = lines;
  }

  static async start(python: string, caseDir: string, checkpoint: string, threads: number): Promise<TorchWorker> {
    const args = [join(REFERENCE_DIR, 'time_reference.py'), '--case', caseDir, '--checkpoint', checkpoint, '--threads', String(threads), '--serve'];
    const child = spawn(python, args, { cwd: REFERENCE_DIR, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new Error(`the torch reference exited before it was ready:\n${stderr.slice(-4000)}`);
    const ready = JSON.parse(first.value) as { max_abs_difference_to_reference: number };
    return new TorchWorker(child, ready.max_abs_difference_to_reference, lines);
  }

  /** Milliseconds of one call, measured inside Python around the forward only. */
  async time(call: 'gen' | 'enc'): Promise<number> {
    this.child.stdin.write(`${call}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error('the torch reference exited');
    return (JSON.parse(line.value) as { ms: number }).ms;
  }

  async stop(): Promise<void> {
    this.child.stdin.end('quit\n');
    await new Promise((resolve) => this.child.once('close', resolve));
  }
}
