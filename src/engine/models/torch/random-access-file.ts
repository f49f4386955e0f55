/** Positioned reads from a file that may be larger than memory should hold at once. */
import { open, type FileHandle } from 'node:fs/promises';

export class RandomAccessFile {
  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<RandomAccessFile> {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      return new RandomAccessFile(handle, info.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Exactly `length` bytes at `position` into a fresh, 8-byte-aligned buffer (typed arrays can view
   * it without a copy). Returns fewer bytes only where the file ends first.
   */
  async read(position: number, length: number): Promise<Uint8Array> {
    const available = Math.max(0, Math.min(length, this.size - position));
    const out = new Uint8Array(available);
    let done = 0;
    while (done < available) {
      const { bytesRead } = await this.handle.read(out, done, available - done, position + done);
      if (bytesRead === 0) return out.subarray(0, done);
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
