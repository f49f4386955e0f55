/**
 * Writes a LazyGraph to an .onnx file, streaming the big weights: nothing the size of the model is
 * ever built in memory.
 *
 * How: the model with its small initializers is encoded by the shared encoder (`encodeModel`);
 * its top-level fields are split around the `graph` field (ModelProto field 7), whose length prefix
 * is rewritten to include the big initializers (GraphProto field 5), which are then written after
 * the graph's own bytes, tensor by tensor. Field order inside a message is free in protobuf, and
 * every size is known before the data exists, so the result is one ordinary ModelProto that any
 * ONNX reader parses.
 *
 * The file appears atomically (temp file + rename) or not at all.
 */
import { open } from 'node:fs/promises';
import type { JobContext } from '../../context';
import { withTempFile } from '../../fs/atomic-write';
import { ProtoWriter } from '../onnx/protobuf-writer';
import type { OnnxGraphBuilder } from '../onnx/graph-builder';
import type { LazyGraph, LazyInitializer } from './lazy-graph';

const MODEL_GRAPH_FIELD = 7;
const GRAPH_INITIALIZER_FIELD = 5;
const TENSOR = { dims: 1, data_type: 2, name: 8, raw_data: 9 } as const;
/** Protobuf messages (and so onnxruntime's single-file models) are limited to 2 GiB. */
const PROTOBUF_LIMIT = 2 ** 31 - 1;

function varint(value: number): Uint8Array {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  bytes.push(v);
  return Uint8Array.from(bytes);
}

const lengthDelimitedTag = (field: number) => varint((field << 3) | 2);

/** TensorProto without raw_data, then the raw_data tag and length: the data follows as-is. */
function tensorPrefix(init: LazyInitializer): Uint8Array {
  const w = new ProtoWriter();
  w.repeatedInts(TENSOR.dims, init.dims);
  w.int(TENSOR.data_type, init.dataType);
  w.string(TENSOR.name, init.name);
  const head = w.finish();
  const rawHeader = concat([lengthDelimitedTag(TENSOR.raw_data), varint(init.byteLength)]);
  const messageLength = head.byteLength + rawHeader.byteLength + init.byteLength;
  return concat([lengthDelimitedTag(GRAPH_INITIALIZER_FIELD), varint(messageLength), head, rawHeader]);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Splits an encoded ModelProto around its graph field: [fields before, graph payload, fields after]. */
export function splitGraphField(model: Uint8Array): { before: Uint8Array; graph: Uint8Array; after: Uint8Array } {
  let at = 0;
  const readVarint = (): number => {
    let value = 0;
    for (let scale = 1; ; scale *= 0x80) {
      const byte = model[at++];
      if (byte === undefined) throw new Error('malformed ModelProto: a varint runs past the end');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  };
  while (at < model.byteLength) {
    const fieldStart = at;
    const tag = readVarint();
    const wire = tag & 7;
    if (wire === 0) readVarint();
    else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else if (wire === 2) {
      const length = readVarint();
      if (tag >>> 3 === MODEL_GRAPH_FIELD) {
        return { before: model.subarray(0, fieldStart), graph: model.subarray(at, at + length), after: model.subarray(at + length) };
      }
      at += length;
    } else throw new Error(`malformed ModelProto: wire type ${wire}`);
  }
  throw new Error('the encoded model has no graph');
}

export interface WriteOnnxOptions {
  model?: Parameters<OnnxGraphBuilder['toModel']>[0];
  /** Progress stage name (default 'convert'); `done`/`total` are bytes. */
  stage?: string;
}

/** Writes `graph` to `path`; returns the file's size in bytes. */
export async function writeLazyGraph(path: string, graph: LazyGraph, ctx: Pick<JobContext, 'onProgress' | 'signal'>, options: WriteOnnxOptions = {}): Promise<number> {
  const { before, graph: smallGraph, after } = splitGraphField(graph.builder.encode(options.model));
  const prefixes = graph.lazy.map(tensorPrefix);
  const graphLength = smallGraph.byteLength + prefixes.reduce((n, prefix, i) => n + prefix.byteLength + graph.lazy[i]!.byteLength, 0);
  const graphHeader = concat([lengthDelimitedTag(MODEL_GRAPH_FIELD), varint(graphLength)]);
  const total = before.byteLength + graphHeader.byteLength + graphLength + after.byteLength;
  if (total > PROTOBUF_LIMIT) throw new Error(`the ONNX model would be ${total} bytes, over protobuf's 2 GiB limit`);

  const stage = options.stage ?? 'convert';
  await withTempFile(path, async (temp) => {
    const handle = await open(temp, 'w');
    try {
      let written = 0;
      const write = async (bytes: Uint8Array) => {
        let done = 0;
        while (done < bytes.byteLength) done += (await handle.write(bytes, done, bytes.byteLength - done)).bytesWritten;
        written += bytes.byteLength;
      };
      await write(before);
      await write(graphHeader);
      await write(smallGraph);
      for (let i = 0; i < graph.lazy.length; i++) {
        ctx.signal?.throwIfAborted();
        const init = graph.lazy[i]!;
        await write(prefixes[i]!);
        const data = await init.produce();
        if (data.byteLength !== init.byteLength) throw new Error(`weight ${init.name}: ${data.byteLength} bytes, expected ${init.byteLength}`);
        await write(data);
        ctx.onProgress?.({ stage, done: written, total });
      }
      await write(after);
      if (written !== total) throw new Error(`wrote ${written} bytes, expected ${total}`);
      await handle.sync();
    } finally {
      await handle.close();
    }
  });
  return total;
}
