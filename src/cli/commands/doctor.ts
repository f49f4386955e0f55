/** `seam doctor`: true facts about this machine and install; non-zero exit when something required is missing. */
import { Command } from 'commander';
import type { Logger } from '../../engine/context';
import { runDoctor } from '../../engine/doctor';
import type { SeamPaths } from '../../engine/paths';
import type { DoctorReport } from '../../shared/doctor';

export function doctorCommand(deps: { paths: SeamPaths; logger: Logger }): Command {
  return new Command('doctor')
    .description('check Node, Electron, onnxruntime and its providers, ffmpeg/ffprobe and the models')
    .option('--json', 'print the report as JSON')
    .option('--no-models', 'skip loading each model to measure its latency')
    .action(async (options: { json?: boolean; models: boolean }) => {
      const report = await runDoctor({ paths: deps.paths, logger: deps.logger, probeModels: options.models });
      process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
      if (report.problems.length > 0) process.exitCode = 1;
    });
}

export function formatDoctorReport(r: DoctorReport): string {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`${label.padEnd(18)} ${value}`);
  row('Seam', r.app.version);
  row('Platform', `${r.platform.os} ${r.platform.arch}, ${r.platform.cpus} CPUs, ${r.platform.memoryGiB} GiB`);
  row('Node', r.runtime.node);
  const e = r.runtime.electron;
  row(
    'Electron',
    e.running
      ? `${e.version} (running)`
      : e.version
        ? `${e.version} installed, ${e.binaryPresent ? 'binary present' : 'binary not downloaded (the app cannot start here)'}`
        : 'not installed',
  );
  row('onnxruntime-node', r.onnxruntime.version ?? 'missing');
  row('Providers', r.onnxruntime.providers.map((p) => `${p.name}${p.bundled ? '' : ' (not installed)'}`).join(', '));
  row('Provider in use', r.onnxruntime.sessionProvider ?? 'none could create a session');
  for (const f of r.onnxruntime.failures) row('', `${f.provider} failed: ${f.message}`);
  for (const tool of r.tools) {
    row(tool.name, tool.found ? `${tool.version} at ${tool.path} (${tool.source})` : `missing: ${tool.error ?? ''}`);
  }
  lines.push('', 'Models');
  for (const m of r.models) {
    const where = m.provider ? `${m.provider}${m.latencyMs === null ? '' : `, ${m.latencyMs.toFixed(1)} ms`}` : '';
    const state = m.error ? `ERROR: ${m.error}` : m.present ? where || 'present' : 'missing';
    lines.push(`  ${m.id.padEnd(32)} ${m.task.padEnd(20)} ${state}`);
  }
  if (r.models.length === 0) lines.push('  (none)');
  lines.push('');
  if (r.problems.length === 0) lines.push('Everything Seam needs is here.');
  else {
    lines.push('Problems:');
    for (const p of r.problems) lines.push(`  - ${p}`);
  }
  return `${lines.join('\n')}\n`;
}
