/**
 * `seam video --target CLIP --op swap|subject|style|attrs [op options] -o OUT`: a photo edit
 * applied to every frame of a clip, on the faces the tracker follows (smoothed, so nothing
 * flickers), with the clip's sound kept. Op options are the photo commands' own: --source,
 * --keep mouth for swap; --set smile=40 for attrs; --reference R --regions hair=1 for style;
 * other processor options through --set key=value. Progress goes to stderr; Ctrl-C stops
 * cleanly and `--resume` continues from the last finished segment.
 */
import { Command, Option } from 'commander';
import { appVersion } from '../../engine/app-info';
import type { EditStep } from '../../engine/edit/edit-photo';
import { getProcessor, processorIds } from '../../engine/edit/registry';
import type { VideoQuality } from '../../engine/media/ffmpeg-args';
import { requireVideoEncoder } from '../../engine/media/ffmpeg-encoders';
import { locateFfmpeg } from '../../engine/media/locate-ffmpeg';
import { checkCodecContainer, resolveVideoQuality } from '../../engine/media/video-codec-args';
import { containerForOutput } from '../../engine/video/ffmpeg-video-args';
import { formatRenderProgress, type RenderProgress } from '../../engine/video/render-progress';
import { renderVideo, type RenderVideoResult } from '../../engine/video/render-video';
import { readPlanFile, preparePlanRender } from '../../engine/video/plan-file';
import { autoStepWorkers, MAX_AUTO_STEP_WORKERS } from '../../engine/video/step-runner';
import { createTrackedEdit } from '../../engine/video/tracked-edit';
import type { JobContext } from '../../engine/context';
import type { EditDeps } from '../../engine/edit/processor';
import type { TimeRange } from '../../engine/media/ffmpeg-args';
import { createVideoEditDeps } from '../../engine/video/video-edit-deps';
import { SeamError } from '../../shared/errors';
import type { ProcessorDescriptor } from '../../shared/processor-options';
import { VIDEO_CODEC_FACTS, VIDEO_CODECS } from '../../shared/video-codecs';
import { kebabCase, parseSliderSettings } from './attrs';
import { parseRegions } from './style';
import { parseBox, parseNumber, type EditCommandDeps } from './subject';

export const VIDEO_OPS = { swap: 'face-swap', subject: 'subject-transfer', style: 'region-style', attrs: 'attributes' } as const;
export type VideoOp = keyof typeof VIDEO_OPS;

export interface VideoCliOptions {
  target: string;
  output: string;
  op?: VideoOp;
  plan?: string;
  source?: string;
  reference?: string;
  keep?: string;
  regions?: string;
  box?: string;
  set: string[];
  track?: string;
  from?: string;
  to?: string;
  codec?: string;
  crf?: string;
  preset?: string;
  profile?: string;
  segmentFrames?: string;
  smoothing?: string;
  frameWorkers?: string;
  resume?: boolean;
  json?: boolean;
}

export function videoCommand(deps: EditCommandDeps & { signal?: AbortSignal; stderr?: { write(text: string): unknown; isTTY?: boolean } }): Command {
  return new Command('video')
    .description('apply a photo edit to every frame of a clip, on the tracked faces, keeping the sound')
    .requiredOption('--target <clip>', 'the video to edit (anything ffmpeg reads)')
    .addOption(new Option('--op <operation>', 'the edit (or --plan)').choices(Object.keys(VIDEO_OPS)))
    .option('--plan <plan.json>', 'a whole video edit plan instead of --op: steps, target, range overrides, keyframes, mask corrections (masks as image files); see src/engine/video/README.md')
    .requiredOption('-o, --output <file>', 'where to write the video (.mp4, .m4v, .mov or .mkv)')
    .option('--source <photo>', 'swap, subject: the photo of the face or person to put in (style: same as --reference)')
    .option('--reference <photo>', 'style: the photo whose region styles to take')
    .option('--keep <parts>', 'swap: keep the clip’s own mouth and/or eyes, e.g. mouth or mouth,eyes')
    .option('--regions <list>', 'style: region=weight pairs, e.g. hair=1,skin=0.5')
    .option('--box <x,y,w,h>', 'subject: fit the person into this rectangle of the frame')
    .option('--set <key=value,…>', 'attrs: sliders, e.g. smile=40,eye-size=20; other ops: any option by name (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--track <id>', 'edit only this face track (ids as `seam track` prints them); others stay as they are')
    .option('--from <time>', 'start of the part to render (seconds or [h:]m:s); the output is that part')
    .option('--to <time>', 'end of the part to render')
    .option('--codec <name>', `the video codec: ${VIDEO_CODECS.join(', ')} (default libx264; the others where this ffmpeg has them)`)
    .option('--crf <n>', `quality on the codec's own scale, lower is better and larger: ${crfHelp()}; ProRes has none`)
    .option('--preset <name>', `speed/size trade-off, fastest first: ${presetHelp()}`)
    .option('--profile <name>', `ProRes quality: ${VIDEO_CODEC_FACTS.prores_ks.profiles!.names.join(', ')} (default ${VIDEO_CODEC_FACTS.prores_ks.profiles!.default})`)
    .option('--segment-frames <n>', 'frames per resumable segment (default: about 10 s of the clip)')
    .option('--smoothing <amount>', 'landmark smoothing of the tracked faces, 0 (off) to 1 (heavy); default 0.5')
    .option('--frame-workers <n>', `worker threads editing frames side by side (default here ${autoStepWorkers()}: the cores beyond two, at most ${MAX_AUTO_STEP_WORKERS}; 0: none)`)
    .option('--resume', 'continue an interrupted render of this output from its last finished segment')
    .option('--json', 'print the result as JSON')
    .action(async (options: VideoCliOptions) => runVideoCommand(deps, options));
}

async function runVideoCommand(deps: Parameters<typeof videoCommand>[0], options: VideoCliOptions): Promise<void> {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  if ((options.op === undefined) === (options.plan === undefined)) throw new SeamError('BAD_INPUT', 'Give either --op (one edit) or --plan <plan.json> (a whole video edit plan).');
  const step = options.op ? videoStep({ ...options, op: options.op }) : undefined;
  // Codec, quality and output file checked before any face is tracked: a mistake costs nothing.
  const quality = videoQualityFlags(options);
  const { codec } = resolveVideoQuality(quality);
  checkCodecContainer(codec, containerForOutput(options.output), options.output);
  await requireVideoEncoder(await locateFfmpeg({ bundledFfmpegDir: deps.paths.bundledFfmpegDir }), codec);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  if (!deps.signal) process.once('SIGINT', onInterrupt);
  const signal = deps.signal ?? controller.signal;
  const edit = createVideoEditDeps(deps.paths, deps.logger);
  const line = progressLine(stderr);
  let disposeEdit: (() => Promise<void>) | undefined;
  try {
    const track = options.track === undefined ? undefined : wholeNumber('--track', options.track, 1);
    const smoothing = options.smoothing === undefined ? undefined : parseNumber('--smoothing', options.smoothing);
    const stepWorkers = options.frameWorkers === undefined ? autoStepWorkers() : wholeNumber('--frame-workers', options.frameWorkers, 0);
    const range = { ...(options.from !== undefined ? { startSeconds: parseTime('--from', options.from) } : {}), ...(options.to !== undefined ? { endSeconds: parseTime('--to', options.to) } : {}) };
    const tracked = step
      ? await createTrackedEdit(edit, { steps: [step], ...(track !== undefined ? { track } : {}), tracker: smoothing === undefined ? {} : { smoothing }, stepWorkers }, { logger: deps.logger, signal })
      : await planEdit(edit, deps.paths.bundledFfmpegDir, options.target, options.plan!, range, { logger: deps.logger, signal, onProgress: (p) => line.message(p.message ?? '') }, stepWorkers);
    disposeEdit = tracked.dispose;
    const result = await renderVideo(
      { bundledFfmpegDir: deps.paths.bundledFfmpegDir },
      {
        input: options.target,
        output: options.output,
        frameProcessor: tracked.process,
        framesInFlight: tracked.framesInFlight,
        ...(tracked.replay ? { replayFrame: tracked.replay } : {}),
        processorKey: tracked.key,
        quality,
        range,
        ...(options.segmentFrames !== undefined ? { segmentFrames: wholeNumber('--segment-frames', options.segmentFrames, 1) } : {}),
        resume: options.resume === true,
        metadata: { appVersion: appVersion(), extra: { description: tracked.operations.join('; ') } },
        onRenderProgress: line.update,
      },
      { logger: deps.logger, signal },
    );
    line.end();
    if (track !== undefined && !tracked.stats.trackIds.has(track)) {
      result.notes.push(`No face track ${track} in this clip (tracks: ${[...tracked.stats.trackIds].join(', ') || 'none'}); nothing was edited.`);
    } else if (tracked.stats.editedFrames === 0 && result.renderedFrames > 0) result.notes.push('No face was found in the rendered frames; nothing was edited.');
    stdout.write(options.json ? `${JSON.stringify({ ...result, operations: tracked.operations, editedFrames: tracked.stats.editedFrames })}\n` : formatResult(result, tracked.operations));
  } catch (error) {
    line.end();
    if (error instanceof SeamError && error.code === 'CANCELLED') {
      throw new SeamError('CANCELLED', `stopped; the finished segments are kept: run the same command with --resume to continue.`);
    }
    throw error;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    await disposeEdit?.();
    await edit.pool.releaseAll();
  }
}

/** `--plan`: the faces tracked once, then the plan's per-frame edit (what the app renders), shaped like a tracked edit. */
async function planEdit(deps: EditDeps, bundledFfmpegDir: string, input: string, planPath: string, range: TimeRange, ctx: JobContext, stepWorkers: number) {
  const plan = await readPlanFile(planPath);
  const prepared = await preparePlanRender({ ...deps, bundledFfmpegDir }, input, plan, range, ctx, stepWorkers);
  const trackIds = new Set(prepared.trackIds);
  return {
    key: prepared.key,
    process: prepared.edit.processor(prepared.firstFrame),
    framesInFlight: prepared.edit.framesInFlight,
    replay: undefined,
    // Which frames have a face is the plan's business (overrides); the notes below only need the ids.
    stats: { editedFrames: trackIds.size > 0 ? 1 : 0, framesWithoutFace: 0, trackIds },
    operations: prepared.operations,
    dispose: () => prepared.edit.dispose(),
  };
}

/**
 * --codec, --crf, --preset and --profile as a VideoQuality checked against the codec's own scales
 * (src/shared/video-codecs.ts); a mistake is BAD_INPUT naming the flag. Absent flags stay absent:
 * the codec's defaults apply.
 */
export function videoQualityFlags(options: Pick<VideoCliOptions, 'codec' | 'crf' | 'preset' | 'profile'>): VideoQuality {
  const choice = {
    ...(options.codec !== undefined ? { codec: options.codec } : {}),
    ...(options.crf !== undefined ? { crf: parseNumber('--crf', options.crf) } : {}),
    ...(options.preset !== undefined ? { preset: options.preset } : {}),
    ...(options.profile !== undefined ? { profile: options.profile } : {}),
  };
  try {
    resolveVideoQuality(choice);
  } catch (error) {
    const option = error instanceof SeamError ? error.details?.option : undefined;
    if (error instanceof SeamError && typeof option === 'string') throw new SeamError('BAD_INPUT', `--${option}: ${error.message}`, error.details);
    throw error;
  }
  // Checked just above: the codec is one of VIDEO_CODECS.
  return choice as VideoQuality;
}

function crfHelp(): string {
  return VIDEO_CODECS.flatMap((codec) => {
    const crf = VIDEO_CODEC_FACTS[codec].crf;
    return crf ? [`${codec} ${crf.min}–${crf.max} (default ${crf.default})`] : [];
  }).join(', ');
}

function presetHelp(): string {
  return VIDEO_CODECS.flatMap((codec) => {
    const presets = VIDEO_CODEC_FACTS[codec].presets;
    if (!presets) return [];
    const names = presets.names;
    return [`${codec} ${names[0]}…${names.at(-1)} (default ${presets.default})`];
  }).join('; ');
}

/** The one edit step the flags describe, with the photo commands' own parsers for their flags. */
export function videoStep(options: Pick<VideoCliOptions, 'source' | 'reference' | 'keep' | 'regions' | 'box' | 'set'> & { op: VideoOp }): EditStep {
  const processor = VIDEO_OPS[options.op];
  if (!processorIds().includes(processor)) {
    throw new SeamError('NOT_FOUND', `--op ${options.op} needs the ${processor} processor, which this build does not have (it has: ${processorIds().join(', ') || 'none'}).`);
  }
  const descriptor = getProcessor(processor).descriptor;
  const stepOptions: Record<string, unknown> = {};
  const photoFields = descriptor.fields.filter((f) => f.kind === 'photo');
  const reference = options.reference ?? (options.op === 'style' ? options.source : undefined);
  if (options.source !== undefined && options.op !== 'style') {
    if (!photoFields[0]) throw new SeamError('BAD_INPUT', `--op ${options.op} takes no --source photo.`);
    stepOptions[photoFields[0].key] = options.source;
  }
  // Each op-specific flag sets the processor field of that name; on another op it is a mistake to say.
  const field = (flag: string, key: string) => {
    if (!descriptor.fields.some((f) => f.key === key)) throw new SeamError('BAD_INPUT', `${flag} does not apply to --op ${options.op}.`);
    return key;
  };
  if (reference !== undefined) stepOptions[field('--reference', 'reference')] = reference;
  if (options.keep !== undefined) stepOptions[field('--keep', 'keep')] = options.keep.split(',').map((s) => s.trim()).filter(Boolean);
  if (options.regions !== undefined) stepOptions[field('--regions', 'regions')] = parseRegions(options.regions);
  if (options.box !== undefined) stepOptions[field('--box', 'box')] = parseBox(options.box);
  Object.assign(stepOptions, options.op === 'attrs' ? parseSliderSettings(options.set) : parseSettings(descriptor, options.set));
  for (const field of photoFields) {
    if (field.kind === 'photo' && field.required && stepOptions[field.key] === undefined) {
      throw new SeamError('BAD_INPUT', `--op ${options.op} needs ${field.key === 'reference' ? '--reference' : '--source'} <photo> (${field.label}).`);
    }
  }
  return { processor, options: stepOptions };
}

/** "strength=0.8,color-match=false" → typed values by the descriptor's fields (names in kebab or camel case). */
export function parseSettings(descriptor: ProcessorDescriptor, settings: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const pair of settings.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const [name = '', text = ''] = pair.split('=').map((s) => s.trim());
    const field = descriptor.fields.find((f) => f.key === name || kebabCase(f.key) === name);
    if (!field) throw new SeamError('BAD_INPUT', `--set: ${descriptor.title} has no option "${name}" (options: ${descriptor.fields.map((f) => kebabCase(f.key)).join(', ')}).`);
    if (field.kind === 'number' || field.kind === 'face' || field.kind === 'seed') values[field.key] = parseNumber(`--set ${name}`, text);
    else if (field.kind === 'boolean') values[field.key] = parseBoolean(name, text);
    else if (field.kind === 'multi-choice') values[field.key] = text.split('+').filter(Boolean);
    else if (field.kind === 'box') values[field.key] = parseBox(text.replaceAll(':', ','));
    else values[field.key] = text;
  }
  return values;
}

function parseBoolean(name: string, text: string): boolean {
  if (/^(true|yes|on|1)$/i.test(text)) return true;
  if (/^(false|no|off|0)$/i.test(text)) return false;
  throw new SeamError('BAD_INPUT', `--set ${name}=${text}: expected true or false.`);
}

function wholeNumber(flag: string, text: string, min: number): number {
  const value = parseNumber(flag, text);
  if (!Number.isInteger(value) || value < min) throw new SeamError('BAD_INPUT', `${flag} ${text}: expected a whole number ≥ ${min}.`);
  return value;
}

/** "12.5", "1:02.5" or "0:01:02" → seconds. */
export function parseTime(flag: string, text: string): number {
  const parts = text.trim().split(':');
  if (parts.length > 3 || parts.some((p) => !/^\d+(\.\d+)?$/.test(p))) {
    throw new SeamError('BAD_INPUT', `${flag} ${text}: give seconds (12.5) or [h:]m:s (1:02.5).`);
  }
  return parts.reduce((total, part) => total * 60 + Number(part), 0);
}

/** A self-rewriting line on a terminal; on a pipe, a line every few seconds. */
function progressLine(stderr: { write(text: string): unknown; isTTY?: boolean }) {
  let last = 0;
  let written = false;
  const message = (text: string) => {
    const now = Date.now();
    if (!stderr.isTTY && now - last < 5000) return;
    last = now;
    written = true;
    stderr.write(stderr.isTTY ? `\r${text}\x1b[K` : `${text}\n`);
  };
  return {
    update: (progress: RenderProgress) => message(formatRenderProgress(progress)),
    message,
    end: () => {
      if (written && stderr.isTTY) stderr.write('\n');
      written = false;
    },
  };
}

function formatResult(result: RenderVideoResult, operations: string[]): string {
  const sound = result.audio === 'none' ? 'no sound' : result.audio === 'copy' ? 'sound copied' : 'sound re-encoded to AAC';
  const lines = [
    `wrote ${result.output}: ${result.frames} frames, ${result.width}×${result.height}, ${result.durationSeconds.toFixed(2)} s at ${result.frameRate} fps, ${sound}`,
    ...operations.map((op) => `  ${op}`),
    `  ${result.renderedFrames} frames rendered at ${result.fps.toFixed(1)} fps${result.resumedFrames > 0 ? `, ${result.resumedFrames} kept from the last run` : ''}`,
    ...result.notes.map((note) => `note: ${note}`),
  ];
  return `${lines.join('\n')}\n`;
}
