/**
 * Undo for mask edits, per dirty tile: while an edit runs, the recorder keeps a copy of each tile
 * the first time it is written; when the edit ends, tiles that did not change are dropped and the
 * rest become a TileDiff. A brush stroke across a 4K mask therefore costs the tiles it crossed
 * (4 KiB each), not the whole mask.
 */
import { unionRect, type Rect, EMPTY_RECT } from './rect';
import { TILE_SIZE, type TiledMask } from './tiled-mask';

export class TileRecorder {
  readonly mask: TiledMask;
  #originals = new Map<number, Uint8Array | null>();
  #finished = false;

  constructor(mask: TiledMask) {
    this.mask = mask;
    mask.setWriteListener((index) => {
      if (!this.#originals.has(index)) this.#originals.set(index, mask.tile(index)?.slice() ?? null);
    });
  }

  /** The tile as it was before this edit: what a stroke blends from, so dabs never stack past the stroke's opacity. */
  originalTile(index: number): Uint8Array | null {
    return this.#originals.has(index) ? this.#originals.get(index)! : this.mask.tile(index);
  }

  originalValue(x: number, y: number): number {
    const index = Math.floor(y / TILE_SIZE) * this.mask.columns + Math.floor(x / TILE_SIZE);
    const tile = this.originalTile(index);
    return tile ? tile[(y % TILE_SIZE) * TILE_SIZE + (x % TILE_SIZE)]! : 0;
  }

  /** Stops listening and returns what changed; the recorder cannot be used afterwards. */
  finish(): TileDiff {
    if (this.#finished) throw new Error('TileRecorder.finish called twice');
    this.#finished = true;
    this.mask.setWriteListener(null);
    this.mask.releaseEmptyTiles(this.#originals.keys());
    const changed = new Map<number, Uint8Array | null>();
    for (const [index, before] of this.#originals) {
      if (!sameTile(before, this.mask.tile(index))) changed.set(index, before);
    }
    return new TileDiff(this.mask, changed);
  }
}

/**
 * The other state of each changed tile. Undo and redo are the same operation: swap the stored
 * tiles with the mask's, so a diff holds one copy per tile whichever way it last went.
 */
export class TileDiff {
  readonly mask: TiledMask;
  #tiles: Map<number, Uint8Array | null>;

  constructor(mask: TiledMask, tiles: Map<number, Uint8Array | null>) {
    this.mask = mask;
    this.#tiles = tiles;
  }

  get isEmpty(): boolean {
    return this.#tiles.size === 0;
  }

  get tileCount(): number {
    return this.#tiles.size;
  }

  get bytes(): number {
    let bytes = 0;
    for (const tile of this.#tiles.values()) bytes += tile ? tile.byteLength : 0;
    // The map entry itself, so a diff of freed tiles still counts for something.
    return bytes + this.#tiles.size * 16;
  }

  /** Indices of the changed tiles. */
  get tileIndices(): number[] {
    return [...this.#tiles.keys()];
  }

  /** Union of the changed tiles' rectangles: what to redraw after a swap. */
  get rect(): Rect {
    let rect = EMPTY_RECT;
    for (const index of this.#tiles.keys()) rect = unionRect(rect, this.mask.tileRect(index));
    return rect;
  }

  swap(): Rect {
    for (const [index, tile] of this.#tiles) this.#tiles.set(index, this.mask.swapTile(index, tile));
    return this.rect;
  }
}

function sameTile(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return (a ?? b) === null || isZero(a ?? b!);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isZero(tile: Uint8Array): boolean {
  for (let i = 0; i < tile.length; i++) if (tile[i] !== 0) return false;
  return true;
}
