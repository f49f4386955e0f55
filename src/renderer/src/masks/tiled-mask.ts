/**
 * A mask (one byte of coverage per pixel, 0..255) stored as 64×64 tiles allocated on first write.
 * Most of a semantic layer is empty — hair covers a tenth of a portrait — so a 4K photo with 20
 * layers costs what the regions cover, not 20 × 8 MB. Tiles are also the unit of undo: a
 * recorder is told before a tile is first written, and keeps its old content (tile-recorder.ts).
 */
import { intersectRect, type Rect } from './rect';

export const TILE_SIZE = 64;
const TILE_PIXELS = TILE_SIZE * TILE_SIZE;

export type TileWriteListener = (tileIndex: number) => void;

export class TiledMask {
  readonly width: number;
  readonly height: number;
  readonly columns: number;
  readonly rows: number;
  #tiles: Array<Uint8Array | null>;
  #beforeWrite: TileWriteListener | null = null;

  constructor(width: number, height: number) {
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
      throw new RangeError(`A mask needs a positive integer size, got ${width}×${height}`);
    }
    this.width = width;
    this.height = height;
    this.columns = Math.ceil(width / TILE_SIZE);
    this.rows = Math.ceil(height / TILE_SIZE);
    this.#tiles = new Array<Uint8Array | null>(this.columns * this.rows).fill(null);
  }

  /** A mask from one byte per pixel, row-major; all-zero tiles stay unallocated. */
  static fromDense(width: number, height: number, data: Uint8Array): TiledMask {
    const mask = new TiledMask(width, height);
    mask.writeDense({ x: 0, y: 0, width, height }, data, width);
    return mask;
  }

  get tileCount(): number {
    return this.#tiles.length;
  }

  /** Bytes held by allocated tiles. */
  get allocatedBytes(): number {
    let bytes = 0;
    for (const tile of this.#tiles) if (tile) bytes += tile.byteLength;
    return bytes;
  }

  /** Called before the first write to any tile; the recorder of an undoable edit sets this. */
  setWriteListener(listener: TileWriteListener | null): void {
    this.#beforeWrite = listener;
  }

  get(x: number, y: number): number {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return 0;
    const tile = this.#tiles[((y / TILE_SIZE) | 0) * this.columns + ((x / TILE_SIZE) | 0)];
    return tile ? tile[(y % TILE_SIZE) * TILE_SIZE + (x % TILE_SIZE)]! : 0;
  }

  set(x: number, y: number, value: number): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const index = ((y / TILE_SIZE) | 0) * this.columns + ((x / TILE_SIZE) | 0);
    const existing = this.#tiles[index];
    if (!existing && value === 0) return;
    this.writableTile(index)[(y % TILE_SIZE) * TILE_SIZE + (x % TILE_SIZE)] = value;
  }

  /** The tile's bytes (TILE_SIZE² row-major, padded past the image edge), or null when all zero. */
  tile(index: number): Uint8Array | null {
    return this.#tiles[index] ?? null;
  }

  /** The tile's bytes for writing, allocated if needed; the write listener hears of it first. */
  writableTile(index: number): Uint8Array {
    this.#beforeWrite?.(index);
    let tile = this.#tiles[index];
    if (!tile) {
      tile = new Uint8Array(TILE_PIXELS);
      this.#tiles[index] = tile;
    }
    return tile;
  }

  /** Replaces a tile wholesale (undo swaps tiles this way); returns the tile it replaced. */
  swapTile(index: number, tile: Uint8Array | null): Uint8Array | null {
    const old = this.#tiles[index] ?? null;
    this.#tiles[index] = tile;
    return old;
  }

  /** Tile-aligned pixel rectangle of a tile, clipped to the image. */
  tileRect(index: number): Rect {
    const x = (index % this.columns) * TILE_SIZE;
    const y = Math.floor(index / this.columns) * TILE_SIZE;
    return { x, y, width: Math.min(TILE_SIZE, this.width - x), height: Math.min(TILE_SIZE, this.height - y) };
  }

  /** Indices of the tiles a rectangle touches. */
  tilesIn(rect: Rect): number[] {
    const r = intersectRect(rect, { x: 0, y: 0, width: this.width, height: this.height });
    const out: number[] = [];
    if (r.width === 0) return out;
    const c0 = Math.floor(r.x / TILE_SIZE);
    const c1 = Math.floor((r.x + r.width - 1) / TILE_SIZE);
    const r0 = Math.floor(r.y / TILE_SIZE);
    const r1 = Math.floor((r.y + r.height - 1) / TILE_SIZE);
    for (let row = r0; row <= r1; row++) for (let col = c0; col <= c1; col++) out.push(row * this.columns + col);
    return out;
  }

  /** Copies a rectangle out as one byte per pixel (row stride = rect.width). */
  readDense(rect: Rect, out = new Uint8Array(rect.width * rect.height)): Uint8Array {
    out.fill(0);
    for (const index of this.tilesIn(rect)) {
      const tile = this.#tiles[index];
      if (!tile) continue;
      const part = intersectRect(rect, this.tileRect(index));
      const tx = part.x % TILE_SIZE;
      const ty = part.y % TILE_SIZE;
      for (let row = 0; row < part.height; row++) {
        const src = (ty + row) * TILE_SIZE + tx;
        out.set(tile.subarray(src, src + part.width), (part.y - rect.y + row) * rect.width + (part.x - rect.x));
      }
    }
    return out;
  }

  /**
   * Writes a rectangle from one byte per pixel (row stride `stride`). Only tiles whose content
   * changes are touched, so writing back an unchanged region records nothing for undo.
   */
  writeDense(rect: Rect, data: Uint8Array, stride = rect.width): void {
    for (const index of this.tilesIn(rect)) {
      const part = intersectRect(rect, this.tileRect(index));
      const tx = part.x % TILE_SIZE;
      const ty = part.y % TILE_SIZE;
      const existing = this.#tiles[index];
      if (!rowsDiffer(existing, data, part, rect, stride, tx, ty)) continue;
      const tile = this.writableTile(index);
      for (let row = 0; row < part.height; row++) {
        const src = (part.y - rect.y + row) * stride + (part.x - rect.x);
        tile.set(data.subarray(src, src + part.width), (ty + row) * TILE_SIZE + tx);
      }
    }
    this.releaseEmptyTiles(this.tilesIn(rect));
  }

  /** Frees tiles that became all zero (after erasing), so an erased layer costs nothing again. */
  releaseEmptyTiles(indices: Iterable<number>): void {
    for (const index of indices) {
      const tile = this.#tiles[index];
      if (tile && isAllZero(tile)) this.#tiles[index] = null;
    }
  }

  /** The whole mask as one byte per pixel. */
  toDense(): Uint8Array {
    return this.readDense({ x: 0, y: 0, width: this.width, height: this.height });
  }

  /** The bounding rectangle of the non-zero pixels, tile-accurate then refined; empty when none. */
  contentBounds(): Rect {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let index = 0; index < this.#tiles.length; index++) {
      const tile = this.#tiles[index];
      if (!tile) continue;
      const r = this.tileRect(index);
      for (let y = 0; y < r.height; y++) {
        for (let x = 0; x < r.width; x++) {
          if (tile[y * TILE_SIZE + x] === 0) continue;
          if (r.x + x < x0) x0 = r.x + x;
          if (r.x + x + 1 > x1) x1 = r.x + x + 1;
          if (r.y + y < y0) y0 = r.y + y;
          if (r.y + y + 1 > y1) y1 = r.y + y + 1;
        }
      }
    }
    return x1 < 0 ? { x: 0, y: 0, width: 0, height: 0 } : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }
}

function isAllZero(tile: Uint8Array): boolean {
  if (tile.byteOffset % 4 === 0 && tile.byteLength % 4 === 0) {
    // Four bytes at a time: a tile is 4096 bytes, allocated on its own.
    const words = new Uint32Array(tile.buffer, tile.byteOffset, tile.byteLength / 4);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    return true;
  }
  for (let i = 0; i < tile.length; i++) if (tile[i] !== 0) return false;
  return true;
}

function rowsDiffer(
  tile: Uint8Array | null | undefined,
  data: Uint8Array,
  part: Rect,
  rect: Rect,
  stride: number,
  tx: number,
  ty: number,
): boolean {
  for (let row = 0; row < part.height; row++) {
    const src = (part.y - rect.y + row) * stride + (part.x - rect.x);
    const dst = (ty + row) * TILE_SIZE + tx;
    for (let i = 0; i < part.width; i++) {
      if ((tile ? tile[dst + i]! : 0) !== data[src + i]!) return true;
    }
  }
  return false;
}
