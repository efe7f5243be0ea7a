import type { MachineReport } from '../../../protocol/machine';
import { configuredProviders, providerProbes } from '../llm/providerConfig';
import { probeMachine } from '../machine/report';
import { defaultStorageDir } from '../machine/storage';
import { qlpVersion } from '../version';
import type { CliCommand } from './command';
import { parseCommandArgs } from './parse';
import { UsageError } from './errors';
import { environmentModels } from './models';

export const doctorCommand: CliCommand = {
  summary: 'Show what this machine offers: Node.js, Docker engine, bubblewrap, storage, providers.',
  usage: 'qlp doctor [--json]',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('doctor', args, { json: { type: 'boolean' } });
    if (positionals.length) throw new UsageError(`doctor takes no arguments, got '${positionals[0]}'.`);
    const models = environmentModels(io);
    const configured = await configuredProviders(models.settings.providers, models.keyOf);
    const report = await probeMachine({
      env: io.env,
      storageDir: defaultStorageDir(io.env),
      providers: providerProbes(models.settings.providers, configured),
    });
    io.out(values.json ? JSON.stringify({ version: qlpVersion, ...report }, null, 2) : formatReport(report));
    return report.ok ? 0 : 1;
  },
};

function formatReport(report: MachineReport): string {
  const mark = (ok: boolean) => (ok ? '✔' : '✘');
  const { node, docker, bubblewrap, storage } = report;
  const lines = [
    `QLP ${qlpVersion}`,
    `${mark(node.supported)} Node.js ${node.version}${node.supported ? '' : ' (QLP needs Node.js 20 or newer)'}`,
    docker.reachable
      ? `${mark(true)} Docker engine ${docker.version ?? ''} at ${docker.host}`
      : `${mark(false)} Docker engine: ${docker.error}`,
    bubblewrap.available
      ? `${mark(true)} bubblewrap ${bubblewrap.version ?? ''} (${bubblewrap.path})`
      : `${mark(false)} bubblewrap: ${bubblewrap.error}`,
    storage.writable ? `${mark(true)} Storage ${storage.path}` : `${mark(false)} Storage: ${storage.error}`,
    report.sandbox
      ? `${mark(true)} Sandbox: ${report.sandbox}`
      : `${mark(false)} Sandbox: none; generated tests cannot run until a Docker engine or bubblewrap is available.`,
    'Providers:',
    ...report.providers.map((p) =>
      p.configured
        ? `  ${mark(true)} ${p.id} (${p.source}${p.baseUrl ? `, ${p.baseUrl}` : ''})`
        : `  - ${p.id}: not configured`,
    ),
  ];
  return lines.join('\n');
}
