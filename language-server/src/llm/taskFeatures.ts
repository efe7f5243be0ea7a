// Measured features of a task, from the requirements text and (once there is one) the plan:
// what the tier router decides on. Pure.

export type TaskKind = 'plan' | 'file' | 'repair' | 'probe';

export const riskDomains = ['auth', 'payments', 'concurrency', 'migrations', 'security', 'distributed', 'realtime'] as const;
export type RiskDomain = (typeof riskDomains)[number];

const domainPatterns: Record<RiskDomain, RegExp> = {
  auth: /\b(auth\w*|login|log in|sign[- ]?(in|up)|password|oauth|jwt|session|rbac|permissions?|roles?)\b/i,
  payments: /\b(payments?|billing|invoices?|stripe|checkout|refunds?|subscriptions?|webhooks?)\b/i,
  concurrency: /\b(concurren\w*|parallel|threads?|locks?|mutex|race conditions?|async queue|workers?|rate[- ]limit\w*)\b/i,
  migrations: /\b(migrations?|schema changes?|alembic|flyway|liquibase|data migration)\b/i,
  security: /\b(encrypt\w*|crypto\w*|secrets?|sanitiz\w*|xss|csrf|sql injection|tls|certificates?)\b/i,
  distributed: /\b(microservices?|distributed|kafka|rabbitmq|message queue|grpc|event[- ]sourc\w*|saga)\b/i,
  realtime: /\b(websockets?|real[- ]time|streaming|socket\.io|server[- ]sent events)\b/i,
};

export interface PlanShape {
  files: Array<{ path: string }>;
  /** Top-level components (services, modules); defaults to the distinct top folders of the files. */
  components?: string[];
  stack?: string;
}

export interface TaskFeatures {
  kind: TaskKind;
  requirementWords: number;
  fileCount: number;
  componentCount: number;
  domains: RiskDomain[];
  stack?: string;
}

export function extractFeatures(kind: TaskKind, requirements: string, plan?: PlanShape): TaskFeatures {
  const files = plan?.files ?? [];
  const components = plan?.components ?? [...new Set(files.map((f) => (f.path.includes('/') ? f.path.split('/')[0] : '.')))];
  return {
    kind,
    requirementWords: requirements.split(/\s+/).filter(Boolean).length,
    fileCount: files.length,
    componentCount: components.length,
    domains: riskDomains.filter((d) => domainPatterns[d].test(requirements)),
    ...(plan?.stack ? { stack: plan.stack } : {}),
  };
}
