/**
 * Malformed and out-of-contract argument lists for any contract method, from a seeded PRNG:
 * wrong arity and types, huge strings and arrays, NaN/Infinity, negative and huge numbers,
 * prototype-pollution keys, ids of the right shape that name nothing, path-traversal strings in
 * names and ids. Field names are read off the method's own zod schema, so a method added to the
 * contract is fuzzed field by field without this file knowing it.
 */
import { methods, type MethodName } from '../../../src/shared/contract';
import { SeededRandom } from './seeded-random';

/** Ids of every kind the contract uses, well formed, naming nothing this engine holds. */
export const ABSENT_IDS = [
  'img-zzzzzzzz',
  'file-0123456789ab',
  'up-0123456789ab',
  'vid-0123456789ab',
  'render-0123456789ab',
  'doc-aaaaaaaa',
  'layer-1',
  'face_landmark',
  'user-model',
];

/** Names and ids that try to leave the engine's folder; `canary` is a real file outside it. */
export function traversalStrings(canary: string): string[] {
  return [
    '../../../../../../etc/passwd',
    '..\\..\\..\\Windows\\win.ini',
    '/etc/passwd',
    canary,
    `../${canary}`,
    `file://${canary}`,
    'img-../../x',
    'file-../../../../tmp',
    'up-0123456789ab/../../x',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'name\0.jpg',
    'CON',
    '.',
    '..',
    '~/.ssh/id_rsa',
  ];
}

/** JSON.parse makes "__proto__" an own key, as a message from the page would carry it. */
const POLLUTERS = (): unknown[] => [
  JSON.parse('{"__proto__": {"polluted": "yes", "imageId": "img-abc"}}'),
  JSON.parse('{"constructor": {"prototype": {"polluted": "yes"}}}'),
  { ['__proto__']: null },
  Object.create(null),
];

const NUMBERS = [NaN, Infinity, -Infinity, -1, -0, 0.5, 2 ** 31, 2 ** 53 + 2, Number.MAX_VALUE, -Number.MAX_VALUE, 1e-300];

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** One hostile value of any type. */
function hostileValue(random: SeededRandom, canary: string): unknown {
  switch (random.int(0, 13)) {
    case 0:
      return random.pick(NUMBERS);
    case 1:
      return random.pick([...ABSENT_IDS, ...traversalStrings(canary)]);
    case 2:
      return 'x'.repeat(random.pick([0, 1, 256, 70_000, 1_000_000]));
    case 3:
      return Array.from({ length: random.pick([0, 1, 17, 1000, 100_000]) }, (_, i) => i);
    case 4:
      return random.pick(POLLUTERS());
    case 5:
      return random.pick([null, undefined, true, false, '', 0]);
    case 6:
      return new Uint8Array(random.pick([0, 1, 7, 4096]));
    case 7:
      return random.pick([new Float32Array(3), new Int32Array(2), new Float64Array(1), new ArrayBuffer(8)]);
    case 8:
      return nested(random.pick([5, 40, 200]));
    case 9:
      return { width: random.pick(NUMBERS), height: random.pick(NUMBERS), data: new Uint8Array(random.int(0, 64)) };
    case 10:
      return [{ processor: random.pick(['attributes', 'face-swap', '../x', '', 'x'.repeat(100)]), options: random.pick([{}, { smile: NaN }, POLLUTERS()[0], null]) }];
    case 11:
      return { kind: random.pick(['track', 'all', 'none', 'evil']), trackId: random.pick(NUMBERS) };
    case 12:
      return random.pick(['png', 'jpeg', 'webp', 'gif', 'mp4', 'libx264', 'ultrafast', 'medium']);
    default:
      return { steps: [{ processor: 'attributes', options: { smile: 10 } }], target: { kind: 'all' } };
  }
}

/** The field names of the method's first argument, read off its schema (unwrapping defaults). */
export function argumentFields(method: MethodName): string[] {
  const tuple = (methods[method].args as unknown as { _zod: { def: { items: unknown[] } } })._zod.def;
  let schema = tuple.items[0] as { _zod?: { def: { type: string; shape?: Record<string, unknown>; innerType?: unknown; in?: unknown } } } | undefined;
  for (let i = 0; i < 8 && schema?._zod; i++) {
    const def = schema._zod.def;
    if (def.type === 'object') return Object.keys(def.shape ?? {});
    schema = (def.innerType ?? def.in) as typeof schema;
  }
  return [];
}

/** `count` hostile argument lists for `method`, the same ones for the same seed. */
export function hostileCalls(method: MethodName, count: number, seed: number, canary: string): unknown[][] {
  const random = new SeededRandom(seed);
  const fields = argumentFields(method);
  const calls: unknown[][] = [
    [],
    [null],
    [undefined],
    ['doctor'],
    [42],
    [[]],
    [{}, {}],
    [{}, { extra: 1 }, 3],
    [new Uint8Array(16)],
    ...POLLUTERS().map((p) => [p]),
  ];
  while (calls.length < count) {
    const shape = random.int(0, 9);
    if (shape === 0) {
      calls.push(Array.from({ length: random.int(0, 4) }, () => hostileValue(random, canary)));
      continue;
    }
    // An object with the method's own fields, each right-looking or hostile, sometimes an extra key.
    const arg: Record<string, unknown> = {};
    for (const field of fields) {
      if (random.next() < 0.15) continue;
      arg[field] = random.next() < 0.3 ? plausible(field, random) : hostileValue(random, canary);
    }
    if (shape === 1) Object.defineProperty(arg, '__proto__', { value: { polluted: 'yes' }, enumerable: true, configurable: true, writable: true });
    if (shape === 2) arg[random.pick(['constructor', 'prototype', 'extra', 'path', 'file'])] = random.pick(traversalStrings(canary));
    calls.push(random.next() < 0.9 ? [arg] : [arg, hostileValue(random, canary)]);
  }
  return calls.slice(0, count);
}

/** A value of the shape the field usually takes, so a call gets past the first check and on to the next. */
function plausible(field: string, random: SeededRandom): unknown {
  if (/Id$|^id$|Key$/.test(field)) return random.pick(ABSENT_IDS);
  if (/^(bytes|data)$/.test(field)) return new Uint8Array(random.pick([1, 16, 1024]));
  if (/name/i.test(field)) return random.pick(['photo.jpg', 'clip.mp4', '../../photo.jpg', 'a'.repeat(255)]);
  if (/^(width|height|size|offset|length|count|frame|fromFrame|toFrame|crf|quality)$/.test(field)) return random.pick([0, 1, 16, 100, 4096]);
  return random.pick([true, false, 'x', 1]);
}
