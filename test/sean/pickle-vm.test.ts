/** The pickle machine on hand-made byte strings: the opcodes torch uses, and what it must refuse. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unpickle } from '../../src/engine/models/torch/pickle-vm';
import { ForbiddenGlobalError, PickleFormatError, PickleTruncatedError, PyDict, PyTuple, type PickleValue } from '../../src/engine/models/torch/pickle-values';
import { resolveTorchGlobal } from '../../src/engine/models/torch/torch-globals';

const latin = (text: string) => Array.from(text, (c) => c.charCodeAt(0));
const bytes = (...parts: Array<number | string | number[]>) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : typeof p === 'string' ? latin(p) : p)));

const noPersistent = () => {
  throw new Error('no persistent ids expected');
};
const run = (data: Uint8Array, persistentLoad: (pid: PickleValue) => PickleValue = noPersistent) =>
  unpickle(data, 0, { resolveGlobal: resolveTorchGlobal, persistentLoad });

describe('pickle machine', () => {
  it('reads protocol 2 values: ints, longs, strings, floats, tuples, lists, dicts and the memo', () => {
    // {'a': (1, -2, 300, True, None), 'b': [1.5, 'x', <memo 'a' tuple>], 'big': 2**70}
    const data = bytes(
      0x80, 2, '}', 'q', 0, '(',
      'X', [1, 0, 0, 0], 'a', '(', 'K', 1, 'J', [0xfe, 0xff, 0xff, 0xff], 'M', [0x2c, 0x01], 0x88, 'N', 't', 'q', 1,
      'X', [1, 0, 0, 0], 'b', ']', 'q', 2, '(', 'G', [0x3f, 0xf8, 0, 0, 0, 0, 0, 0], 'X', [1, 0, 0, 0], 'x', 'h', 1, 'e',
      'X', [3, 0, 0, 0], 'big', 0x8a, 9, [0, 0, 0, 0, 0, 0, 0, 0, 0x40],
      'u', '.',
    );
    const { value, end } = run(data);
    assert.equal(end, data.byteLength);
    assert.ok(value instanceof PyDict);
    const a = value.entries.get('a');
    assert.ok(a instanceof PyTuple);
    assert.deepEqual(a.items, [1, -2, 300, true, null]);
    const b = value.entries.get('b') as PickleValue[];
    assert.equal(b[0], 1.5);
    assert.equal(b[1], 'x');
    assert.equal(b[2], a, 'BINGET returns the memoised object itself');
    assert.equal(value.entries.get('big'), 2n ** 70n);
  });

  it('reads protocol 4 framing, STACK_GLOBAL and MEMOIZE (collections.OrderedDict)', () => {
    const data = bytes(
      0x80, 4, 0x95, [30, 0, 0, 0, 0, 0, 0, 0],
      0x8c, 11, 'collections', 0x94, 0x8c, 11, 'OrderedDict', 0x94, 0x93, 0x94, ')', 'R', 0x94,
      0x8c, 1, 'k', 'K', 7, 's', '.',
    );
    const { value } = run(data);
    assert.ok(value instanceof PyDict);
    assert.equal(value.entries.get('k'), 7);
  });

  it('hands persistent ids to the caller (BINPERSID)', () => {
    const data = bytes(0x80, 2, 'X', [3, 0, 0, 0], 'pid', 0x85, 'Q', '.');
    const { value } = run(data, (pid) => {
      assert.ok(pid instanceof PyTuple);
      return `loaded ${String(pid.items[0])}`;
    });
    assert.equal(value, 'loaded pid');
  });

  it('refuses any global outside the allow-list, before anything could be called', () => {
    const viaGlobal = bytes(0x80, 2, 'c', 'os\nsystem\n', 'X', [4, 0, 0, 0], 'echo', 0x85, 'R', '.');
    assert.throws(() => run(viaGlobal), (error: unknown) => error instanceof ForbiddenGlobalError && error.qualifiedName === 'os.system');
    const viaStack = bytes(0x80, 4, 0x8c, 8, 'builtins', 0x8c, 4, 'eval', 0x93, '.');
    assert.throws(() => run(viaStack), (error: unknown) => error instanceof ForbiddenGlobalError && error.qualifiedName === 'builtins.eval');
    const torchButNotAllowed = bytes(0x80, 2, 'c', 'torch\nload\n', '.');
    assert.throws(() => run(torchButNotAllowed), ForbiddenGlobalError);
  });

  it('refuses opcodes torch does not write, by name, and reports running out of bytes', () => {
    assert.throws(() => run(bytes(0x80, 2, 'i', 'os\nsystem\n', '.')), (e: unknown) => e instanceof PickleFormatError && /INST/.test(e.message));
    assert.throws(() => run(bytes(0x80, 2, 0xff)), (e: unknown) => e instanceof PickleFormatError && /unknown pickle opcode 0xff/.test(e.message));
    assert.throws(() => run(bytes(0x80, 2, 'X', [10, 0, 0, 0], 'abc')), PickleTruncatedError);
    assert.throws(() => run(bytes(0x80, 2, ')', 'R', '.')), PickleFormatError, 'REDUCE on a non-callable');
  });
});
