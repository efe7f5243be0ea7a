import type { MachineReport, ProviderId, ProviderProbe } from '../../../protocol/machine';
import { configuredProviders, defaultLocalBaseUrl, providerProbes } from '../llm/providerConfig';
import { probeMachine } from '../machine/report';
import { defaultStorageDir } from '../machine/storage';
import { qlpVersion } from '../common/version';
import { paint } from './colour';
import type { CliCommand, CliIo } from './command';
import { providerEnvironment, type EnvironmentVariable } from './environment';
import { parseCommandArgs } from './parse';
import { UsageError } from './errors';
import { environmentModels } from './models';

/** The variables that configure each provider on the command line (all of them are needed). */
const providerVariables: Record<ProviderId, EnvironmentVariable[]> = {
  openai: ['OPENAI_API_KEY'],
  azure: ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT'],
  anthropic: ['ANTHROPIC_API_KEY'],
  groq: ['GROQ_API_KEY'],
  local: ['QLP_LOCAL_MODEL'],
};

type DoctorProvider = ProviderProbe & { needs?: EnvironmentVariable[] };

/** Each provider as probed, an unconfigured one with the variables still to set. */
function withNeeds(probes: ProviderProbe[], env: NodeJS.ProcessEnv): DoctorProvider[] {
  return probes.map((p) => (p.configured ? p : { ...p, needs: providerVariables[p.id].filter((name) => !env[name]) }));
}

export const doctorCommand: CliCommand = {
  summary: 'Show what this machine offers: Node.js, Docker engine, bubblewrap, storage, providers.',
  usage: 'qlp doctor [--json]',
  help: {
    flags: [['--json', 'Print one JSON document (the report, with "canGenerate" and what each provider needs).']],
    examples: ['qlp doctor', 'OPENAI_API_KEY=sk-… qlp doctor --json'],
    env: [...providerEnvironment, 'DOCKER_HOST', 'PATH', 'QLP_HOME'],
  },
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
    const providers = withNeeds(report.providers, io.env);
    // Generating needs a model: without one, nothing can be generated whatever else is there.
    const canGenerate = configured.length > 0;
    io.out(
      values.json ? JSON.stringify({ version: qlpVersion, ...report, providers, canGenerate }, null, 2) : formatReport(report, providers, canGenerate, io),
    );
    return report.ok && canGenerate ? 0 : 1;
  },
};

function providerLine(p: DoctorProvider, mark: (ok: boolean) => string): string {
  if (p.configured) return `  ${mark(true)} ${p.id} (${p.source}${p.baseUrl ? `, ${p.baseUrl}` : ''})`;
  const needs = p.needs ?? [];
  if (p.id === 'local') {
    const where =
      p.baseUrl && p.baseUrl !== defaultLocalBaseUrl ? `the server at ${p.baseUrl}` : `Ollama at ${defaultLocalBaseUrl} (else set QLP_LOCAL_BASE_URL)`;
    return `  - local: not configured; set QLP_LOCAL_MODEL to a model of ${where}`;
  }
  return `  - ${p.id}: not configured; set ${needs.join(' + ')}`;
}

function formatReport(report: MachineReport, providers: DoctorProvider[], canGenerate: boolean, io: CliIo): string {
  const mark = (ok: boolean) => (ok ? paint(io, 'out', 'green', '✔') : paint(io, 'out', 'red', '✘'));
  const { node, docker, bubblewrap, storage } = report;
  const lines = [
    `QLP ${qlpVersion}`,
    `${mark(node.supported)} Node.js ${node.version}${node.supported ? '' : ' (QLP needs Node.js 20 or newer)'}`,
    docker.reachable ? `${mark(true)} Docker engine ${docker.version ?? ''} at ${docker.host}` : `${mark(false)} Docker engine: ${docker.error}`,
    bubblewrap.available ? `${mark(true)} bubblewrap ${bubblewrap.version ?? ''} (${bubblewrap.path})` : `${mark(false)} bubblewrap: ${bubblewrap.error}`,
    storage.writable ? `${mark(true)} Storage ${storage.path}` : `${mark(false)} Storage: ${storage.error}`,
    report.sandbox
      ? `${mark(true)} Sandbox: ${report.sandbox}`
      : `${mark(false)} Sandbox: none; generated tests cannot run until ${process.platform === 'linux' ? 'a Docker engine or bubblewrap' : 'Docker Desktop'} is available.`,
    'Providers:',
    ...providers.map((p) => providerLine(p, mark)),
    canGenerate
      ? `${mark(true)} Generation: ${providers
          .filter((p) => p.configured)
          .map((p) => p.id)
          .join(', ')}`
      : `${mark(false)} Generation: no model provider is configured; set one provider's variables above (a local server: 'ollama pull qwen2.5-coder:7b', then QLP_LOCAL_MODEL=qwen2.5-coder:7b).`,
  ];
  return lines.join('\n');
}
