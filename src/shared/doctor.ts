import { z } from 'zod';

/** What `seam doctor` and the About panel show: true facts about this machine and install. */
export const ToolReportSchema = z.object({
  name: z.enum(['ffmpeg', 'ffprobe']),
  found: z.boolean(),
  path: z.string().nullable(),
  version: z.string().nullable(),
  /** Which place won: env variable, bundled with the app, npm package, or the system PATH. */
  source: z.string().nullable(),
  error: z.string().optional(),
});

export const ProviderReportSchema = z.object({
  name: z.string(),
  /** Whether onnxruntime-node's install carries this provider's binaries. */
  bundled: z.boolean(),
});

export const ModelReportSchema = z.object({
  id: z.string(),
  task: z.string(),
  builtIn: z.boolean(),
  present: z.boolean(),
  provider: z.string().nullable(),
  latencyMs: z.number().nullable(),
  error: z.string().optional(),
});

export const DoctorReportSchema = z.object({
  app: z.object({ name: z.string(), version: z.string() }),
  platform: z.object({ os: z.string(), arch: z.string(), cpus: z.number(), memoryGiB: z.number() }),
  runtime: z.object({
    node: z.string(),
    /** The Electron running this process, or the installed package's version and whether its binary exists. */
    electron: z.object({ version: z.string().nullable(), running: z.boolean(), binaryPresent: z.boolean() }),
  }),
  onnxruntime: z.object({
    version: z.string().nullable(),
    providers: z.array(ProviderReportSchema),
    /** The provider that actually created a session here; null when none could. */
    sessionProvider: z.string().nullable(),
    failures: z.array(z.object({ provider: z.string(), message: z.string() })),
  }),
  tools: z.array(ToolReportSchema),
  models: z.array(ModelReportSchema),
  /** Everything required that is missing or broken, one readable sentence each. Empty means healthy. */
  problems: z.array(z.string()),
});

export type DoctorReport = z.infer<typeof DoctorReportSchema>;
export type ToolReport = z.infer<typeof ToolReportSchema>;
export type ModelReport = z.infer<typeof ModelReportSchema>;
