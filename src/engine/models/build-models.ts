/**
 * `npm run models`: converts the built-in TFLite models from their npm packages into
 * resources/models/<id>.onnx and writes resources/models/manifest.json.
 *
 * Idempotent: a model whose source sha256 and converter version are unchanged, and whose .onnx
 * still has the recorded sha256, is not converted again. Every model, converted or not, is then
 * loaded in onnxruntime-node and run once on zeros to prove its input/output contract.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../fs/atomic-write';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { SeamError } from '../../shared/errors';
import type { Logger } from '../context';
import { BUILT_IN_MODELS, packageDir, resolveByteRange, type BuiltInModel } from './builtin';
import { CONVERTER_VERSION, convertTfliteToOnnx } from './convert/tflite-to-onnx';
import { MANIFEST_FILE, type ModelManifest, type ModelManifestEntry, type TensorSpec } from './manifest';

export const CONVERTER_ID = `seam-tflite2onnx ${CONVERTER_VERSION}`;

export interface BuildModelsOptions {
  /** Output folder (resources/models). */
  modelsDir: string;
  /** The node_modules folder holding the @mediapipe packages. */
  nodeModulesDir: string;
  logger: Logger;
  /** Convert even when the recorded output is up to date. */
  force?: boolean;
  /** Defaults to BUILT_IN_MODELS; tests may pass a subset. */
  models?: readonly BuiltInModel[];
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}


function readPackageVersion(model: BuiltInModel, nodeModulesDir: string): string {
  const path = join(packageDir(model, nodeModulesDir), 'package.json');
  if (!existsSync(path)) throw new SeamError('MISSING_DEPENDENCY', `${model.package} is not installed (no ${path}); run npm install.`);
  const version = (JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown }).version;
  if (version !== model.version) {
    throw new SeamError('MISSING_DEPENDENCY', `${model.package} is version ${String(version)}, but the built-in model ${model.id} is pinned to ${model.version}.`);
  }
  return version;
}

/** The TFLite bytes of a built-in model, checked against the pinned byte range and sha256. */
export function readBuiltInSource(model: BuiltInModel, nodeModulesDir: string): { bytes: Uint8Array; byteRange: [number, number]; sha256: string } {
  readPackageVersion(model, nodeModulesDir);
  const path = join(packageDir(model, nodeModulesDir), model.file);
  if (!existsSync(path)) throw new SeamError('MISSING_DEPENDENCY', `${model.package} has no ${model.file}.`);
  const file = readFileSync(path);
  const byteRange = resolveByteRange(model, nodeModulesDir, file.byteLength);
  const bytes = new Uint8Array(file.buffer, file.byteOffset + byteRange[0], byteRange[1] - byteRange[0]);
  const sha256 = sha256Hex(bytes);
  if (sha256 !== model.sourceSha256) {
    throw new SeamError('MODEL_INVALID', `${model.id}: source bytes in ${model.package}/${model.file} have sha256 ${sha256}, expected ${model.sourceSha256}.`);
  }
  return { bytes, byteRange, sha256 };
}

function readManifest(path: string, logger: Logger): ModelManifest | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
    return manifest.formatVersion === 1 && Array.isArray(manifest.models) ? manifest : undefined;
  } catch {
    logger.warn('models: the existing manifest is not valid JSON; rebuilding everything', { path });
    return undefined;
  }
}

function sameNames(actual: readonly string[], expected: readonly TensorSpec[]): boolean {
  return actual.length === expected.length && actual.every((name, i) => name === expected[i]!.name);
}

/** Loads an .onnx in onnxruntime-node (CPU), checks names, runs it on zeros and checks output shapes. */
export async function verifyOnnxContract(path: string, entry: Pick<ModelManifestEntry, 'id' | 'inputs' | 'outputs'>): Promise<void> {
  const session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'] });
  try {
    if (!sameNames(session.inputNames, entry.inputs) || !sameNames(session.outputNames, entry.outputs)) {
      throw new SeamError('MODEL_INVALID', `${entry.id}: onnxruntime sees inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], expected [${entry.inputs.map((s) => s.name).join(', ')}] and [${entry.outputs.map((s) => s.name).join(', ')}].`);
    }
    const feeds: Record<string, ort.Tensor> = {};
    for (const spec of entry.inputs) {
      const dims = spec.shape.map((d) => (typeof d === 'number' ? d : 1));
      feeds[spec.name] = new ort.Tensor('float32', new Float32Array(dims.reduce((a, b) => a * b, 1)), dims);
    }
    const results = await session.run(feeds);
    for (const spec of entry.outputs) {
      const dims = results[spec.name]?.dims ?? [];
      const expected = spec.shape.map((d) => (typeof d === 'number' ? d : -1));
      if (dims.length !== expected.length || dims.some((d, i) => expected[i] !== -1 && d !== expected[i])) {
        throw new SeamError('MODEL_INVALID', `${entry.id}: output ${spec.name} has shape [${dims.join(', ')}], expected [${spec.shape.join(', ')}].`);
      }
    }
  } finally {
    await session.release();
  }
}

export async function buildBuiltInModels(options: BuildModelsOptions): Promise<ModelManifest> {
  const { modelsDir, nodeModulesDir, logger } = options;
  const models = options.models ?? BUILT_IN_MODELS;
  mkdirSync(modelsDir, { recursive: true });
  const manifestPath = join(modelsDir, MANIFEST_FILE);
  const previous = readManifest(manifestPath, logger);
  const entries: ModelManifestEntry[] = [];

  for (const model of models) {
    const source = readBuiltInSource(model, nodeModulesDir);
    const file = `${model.id}.onnx`;
    const outPath = join(modelsDir, file);
    const old = previous?.models.find((m) => m.id === model.id);
    const upToDate = !options.force && old !== undefined && old.converter === CONVERTER_ID && old.source.kind === 'npm'
      && old.source.sha256 === source.sha256 && existsSync(outPath) && sha256Hex(readFileSync(outPath)) === old.sha256;

    let entry: ModelManifestEntry;
    if (upToDate) {
      entry = { ...old, ...describe(model, source, old.sha256, old.bytes, old.inputs, old.outputs) };
      logger.info(`models: ${model.id} is up to date (source ${source.sha256.slice(0, 12)}, ${CONVERTER_ID}); skipped`);
    } else {
      const started = Date.now();
      const converted = convertTfliteToOnnx(source.bytes, { name: model.id });
      await writeFileAtomic(outPath, converted.onnx);
      entry = describe(model, source, sha256Hex(converted.onnx), converted.onnx.byteLength, converted.inputs, converted.outputs);
      logger.info(`models: converted ${model.id} (${converted.ops.length} TFLite op types → ${converted.onnxOps.join(', ')}) to ${file}, ${converted.onnx.byteLength} bytes in ${Date.now() - started} ms`);
    }
    await verifyOnnxContract(outPath, entry);
    logger.info(`models: ${model.id} loads in onnxruntime-node (cpu) with inputs [${entry.inputs.map((s) => `${s.name} ${s.shape.join('×')}`).join(', ')}] and outputs [${entry.outputs.map((s) => `${s.name} ${s.shape.join('×')}`).join(', ')}]`);
    entries.push(entry);
  }

  const manifest: ModelManifest = { formatVersion: 1, models: entries };
  const json = `${JSON.stringify(manifest, null, 2)}\n`;
  if (existsSync(manifestPath) && readFileSync(manifestPath, 'utf8') === json) {
    logger.info(`models: ${MANIFEST_FILE} unchanged`);
  } else {
    await writeFileAtomic(manifestPath, json);
    logger.info(`models: wrote ${MANIFEST_FILE} with ${entries.length} models`);
  }
  return manifest;
}

function describe(model: BuiltInModel, source: { byteRange: [number, number]; sha256: string }, sha256: string, bytes: number, inputs: TensorSpec[], outputs: TensorSpec[]): ModelManifestEntry {
  return {
    id: model.id,
    task: model.task,
    file: `${model.id}.onnx`,
    builtIn: true,
    sha256,
    bytes,
    licence: model.licence,
    source: { kind: 'npm', package: model.package, version: model.version, file: model.file, byteRange: source.byteRange, sha256: source.sha256 },
    inputs,
    outputs,
    preprocessing: model.preprocessing,
    description: model.description,
    converter: CONVERTER_ID,
  };
}

// ---- CLI entry ------------------------------------------------------------------------------

function isMainModule(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry) === fileURLToPath(import.meta.url);
}

if (isMainModule()) {
  const { resolvePaths, appRootFromHere } = await import('../paths');
  // The one place console output is right: this is a command-line tool.
  const consoleLogger: Logger = {
    debug: () => {},
    info: (message) => console.log(message),
    warn: (message, fields) => console.warn(`warning: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
    error: (message, fields) => console.error(`error: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
  };
  try {
    await buildBuiltInModels({
      modelsDir: resolvePaths().builtInModelsDir,
      nodeModulesDir: join(appRootFromHere(), 'node_modules'),
      logger: consoleLogger,
      force: process.argv.includes('--force'),
    });
  } catch (error) {
    const code = error instanceof SeamError ? ` [${error.code}]` : '';
    console.error(`npm run models failed${code}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
