/**
 * A minimal pickle machine for what torch.save writes (protocols 2 to 5): Python's plain values,
 * tuples, lists, dicts, memo, persistent ids, and GLOBAL/STACK_GLOBAL + REDUCE/NEWOBJ/BUILD for the
 * few callables the caller's allow-list resolves. It never looks anything up by name itself: a
 * GLOBAL outside the allow-list stops the load (ForbiddenGlobalError), so a checkpoint can never
 * make Seam run code. Opcodes it does not know are refused by name.
 */
import { ByteCursor, decodeLong } from './byte-cursor';
import {
  PickleFormatError, PyDict, PyTuple, describeValue, isCallable, type DictKey, type PickleValue,
} from './pickle-values';

export interface UnpickleOptions {
  /** Returns the allow-listed object for module.name, or throws ForbiddenGlobalError. */
  resolveGlobal(module: string, name: string): PickleValue;
  /** Turns a persistent id (torch: a storage descriptor tuple) into a value. */
  persistentLoad(pid: PickleValue): PickleValue;
}

export interface UnpickleResult {
  value: PickleValue;
  /** Offset just past the STOP opcode: where the next pickle (or the storages) starts. */
  end: number;
}

/** Opcodes refused by name, so a refusal says what was found. */
const REFUSED: Record<number, string> = {
  0x46: 'FLOAT (text)', 0x53: 'STRING (text)', 0x56: 'UNICODE (text)', 0x69: 'INST', 0x6f: 'OBJ', 0x8f: 'EMPTY_SET',
  0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x96: 'BYTEARRAY8',
  0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

const MARK = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

function asKey(value: PickleValue): DictKey {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  throw new PickleFormatError(`a dict key that is ${describeValue(value)} (only strings, numbers and None are supported)`);
}

function parseTextInt(text: string): number | bigint | boolean {
  if (text === '01') return true;
  if (text === '00') return false;
  const clean = text.endsWith('L') ? text.slice(0, -1) : text;
  if (!/^-?\d+$/.test(clean)) throw new PickleFormatError(`a malformed integer '${text}'`);
  const big = BigInt(clean);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** Runs one pickle starting at `start` up to its STOP. */
export function unpickle(data: Uint8Array, start: number, options: UnpickleOptions): UnpickleResult {
  const cursor = new ByteCursor(data, start);
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();

  const pop = (): PickleValue => {
    const item = stack.pop();
    if (item === undefined || item === MARK) throw new PickleFormatError('the pickle stack ran empty (malformed data)');
    return item;
  };
  const top = (): PickleValue => {
    const item = stack[stack.length - 1];
    if (item === undefined || item === MARK) throw new PickleFormatError('the pickle stack ran empty (malformed data)');
    return item;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new PickleFormatError('a MARK was expected on the pickle stack');
    const items = stack.splice(at) as PickleValue[];
    items.shift();
    return items;
  };
  const memoGet = (index: number): PickleValue => {
    if (!memo.has(index)) throw new PickleFormatError(`memo entry ${index} was never stored`);
    return memo.get(index)!;
  };
  const call = (callable: PickleValue, args: PickleValue): PickleValue => {
    if (!isCallable(callable)) throw new PickleFormatError(`REDUCE on ${describeValue(callable)}, which is not callable`);
    if (!(args instanceof PyTuple)) throw new PickleFormatError(`${callable.qualifiedName} called with ${describeValue(args)} instead of a tuple`);
    return callable.call(args.items);
  };
  const setItems = (dict: PickleValue, items: PickleValue[]): void => {
    if (!(dict instanceof PyDict)) throw new PickleFormatError(`SETITEMS on ${describeValue(dict)}`);
    if (items.length % 2 !== 0) throw new PickleFormatError('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) dict.entries.set(asKey(items[i]!), items[i + 1]!);
  };
  const append = (list: PickleValue, items: PickleValue[]): void => {
    if (!Array.isArray(list)) throw new PickleFormatError(`APPEND on ${describeValue(list)}`);
    list.push(...items);
  };

  for (;;) {
    const opcode = cursor.u8();
    switch (opcode) {
      case 0x80: { // PROTO
        const version = cursor.u8();
        if (version > 5) throw new PickleFormatError(`pickle protocol ${version} (Seam reads 2 to 5)`);
        break;
      }
      case 0x95: cursor.u64(); break; // FRAME: a length hint only
      case 0x2e: { // STOP
        const value = pop();
        return { value, end: cursor.position };
      }
      case 0x28: stack.push(MARK); break;
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: stack.push(top()); break; // DUP
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4a: stack.push(cursor.i32()); break; // BININT
      case 0x4b: stack.push(cursor.u8()); break; // BININT1
      case 0x4d: stack.push(cursor.u16()); break; // BININT2
      case 0x8a: stack.push(decodeLong(cursor.bytes(cursor.u8()))); break; // LONG1
      case 0x8b: { // LONG4
        const n = cursor.i32();
        if (n < 0) throw new PickleFormatError('LONG4 with a negative length');
        stack.push(decodeLong(cursor.bytes(n)));
        break;
      }
      case 0x49: stack.push(parseTextInt(cursor.line())); break; // INT
      case 0x4c: stack.push(parseTextInt(cursor.line())); break; // LONG
      case 0x47: stack.push(cursor.f64be()); break; // BINFLOAT
      case 0x58: stack.push(cursor.utf8(cursor.u32())); break; // BINUNICODE
      case 0x8c: stack.push(cursor.utf8(cursor.u8())); break; // SHORT_BINUNICODE
      case 0x8d: stack.push(cursor.utf8(cursor.u64())); break; // BINUNICODE8
      case 0x54: stack.push(cursor.latin1(cursor.u32())); break; // BINSTRING (Python 2 str)
      case 0x55: stack.push(cursor.latin1(cursor.u8())); break; // SHORT_BINSTRING
      case 0x42: stack.push(cursor.bytes(cursor.u32()).slice()); break; // BINBYTES
      case 0x43: stack.push(cursor.bytes(cursor.u8()).slice()); break; // SHORT_BINBYTES
      case 0x8e: stack.push(cursor.bytes(cursor.u64()).slice()); break; // BINBYTES8
      case 0x29: stack.push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x74: stack.push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: stack.push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); stack.push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); stack.push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const item = pop(); append(top(), [item]); break; } // APPEND
      case 0x65: { const items = popMark(); append(top(), items); break; } // APPENDS
      case 0x7d: stack.push(new PyDict()); break; // EMPTY_DICT
      case 0x64: { const dict = new PyDict(); setItems(dict, popMark()); stack.push(dict); break; } // DICT
      case 0x73: { const value = pop(); const key = pop(); setItems(top(), [key, value]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x71: memo.set(cursor.u8(), top()); break; // BINPUT
      case 0x72: memo.set(cursor.u32(), top()); break; // LONG_BINPUT
      case 0x70: memo.set(Number(parseTextInt(cursor.line())), top()); break; // PUT
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x68: stack.push(memoGet(cursor.u8())); break; // BINGET
      case 0x6a: stack.push(memoGet(cursor.u32())); break; // LONG_BINGET
      case 0x67: stack.push(memoGet(Number(parseTextInt(cursor.line())))); break; // GET
      case 0x63: { // GLOBAL
        const module = cursor.line();
        const name = cursor.line();
        stack.push(options.resolveGlobal(module, name));
        break;
      }
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleFormatError('STACK_GLOBAL without a module and a name');
        stack.push(options.resolveGlobal(module, name));
        break;
      }
      case 0x52: { const args = pop(); stack.push(call(pop(), args)); break; } // REDUCE
      case 0x81: { const args = pop(); stack.push(call(pop(), args)); break; } // NEWOBJ: cls.__new__(cls, *args)
      case 0x62: { // BUILD
        const state = pop();
        const target = top();
        if (target instanceof PyDict) target.state = state;
        else throw new PickleFormatError(`BUILD on ${describeValue(target)}`);
        break;
      }
      case 0x51: stack.push(options.persistentLoad(pop())); break; // BINPERSID
      case 0x50: stack.push(options.persistentLoad(cursor.line())); break; // PERSID
      default: {
        const known = REFUSED[opcode];
        throw new PickleFormatError(
          known ? `the pickle opcode ${known}, which torch.save does not write` : `an unknown pickle opcode 0x${opcode.toString(16)} at byte ${cursor.position - 1}`,
        );
      }
    }
  }
}
