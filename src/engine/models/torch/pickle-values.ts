/**
 * What the pickle machine produces. Python's built-in values map to JS values; tuples and dicts get
 * small classes so they stay distinguishable from lists; everything a GLOBAL names is an object the
 * allow-list (torch-globals.ts) made, never anything found by name at run time.
 */

/** A Python tuple (kept apart from lists: torch's persistent ids and rebuild arguments are tuples). */
export class PyTuple {
  constructor(readonly items: PickleValue[]) {}
}

export type DictKey = string | number | bigint | boolean | null;

/** A Python dict or collections.OrderedDict, in insertion order. */
export class PyDict {
  readonly entries = new Map<DictKey, PickleValue>();
  /** What BUILD gave it (an OrderedDict's instance __dict__, e.g. a state dict's `_metadata`); unused. */
  state: PickleValue | undefined;
}

/**
 * A callable that GLOBAL resolved through the allow-list. REDUCE and NEWOBJ call it with the
 * argument tuple's items.
 */
export interface PyCallable {
  readonly kind: 'callable';
  /** "module.name", for error messages. */
  readonly qualifiedName: string;
  call(args: PickleValue[]): PickleValue;
}

/** An object an allow-listed callable made (a storage type, a tensor); opaque to the machine. */
export interface PyOpaque {
  readonly kind: 'opaque';
  readonly pyType: string;
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PyTuple
  | PyDict
  | PyCallable
  | PyOpaque;

export function isCallable(value: PickleValue): value is PyCallable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind === 'callable';
}

export function isOpaque(value: PickleValue): value is PyOpaque {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind === 'opaque';
}

/** A short description of a value for error messages ("a tuple of 3", "the string 'storage'"). */
export function describeValue(value: PickleValue): string {
  if (value === null) return 'None';
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value instanceof PyTuple) return `a tuple of ${value.items.length}`;
  if (value instanceof PyDict) return `a dict of ${value.entries.size}`;
  if (isCallable(value)) return value.qualifiedName;
  return value.pyType;
}

/** Thrown when the bytes end before STOP: the caller decides whether that means "read more" or "truncated". */
export class PickleTruncatedError extends Error {
  override readonly name = 'PickleTruncatedError';
}

/** Malformed or unsupported pickle data; the message says what, for a person. */
export class PickleFormatError extends Error {
  override readonly name = 'PickleFormatError';
}

/** A GLOBAL outside the allow-list: the checkpoint wants Python code run, which Seam never does. */
export class ForbiddenGlobalError extends Error {
  override readonly name = 'ForbiddenGlobalError';
  constructor(readonly qualifiedName: string) {
    super(`the pickle refers to the Python object ${qualifiedName}, which is not on Seam's allow-list`);
  }
}
