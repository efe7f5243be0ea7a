// The OpenAPI 3.1 document, written from the route declarations the server registers.
import { teamHeader, teamPattern } from '../../protocol/backendApi';
import type { RouteDef } from './routes/route';

/** Every keyed route takes it: a global admin key acts for the team it names. */
const teamParameter = {
  name: teamHeader,
  in: 'header',
  required: false,
  description:
    "The team to act for: a global admin key (QLP_ADMIN_KEY) may name any, another key only its own. Without it, the key's own team (and for a global key's lists of keys, audit and usage, every team).",
  schema: { type: 'string', pattern: teamPattern.source, maxLength: 40 },
};

const errorResponse = {
  description: 'Refused',
  content: { 'application/json': { schema: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } } } },
};

export function openApiDocument(routes: readonly RouteDef[], version: string): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters = [
      ...Object.entries((route.params?.properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({ name, in: 'path', required: true, schema })),
      ...Object.entries((route.querystring?.properties ?? {}) as Record<string, unknown>).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema,
      })),
      ...(route.role ? [teamParameter] : []),
    ];
    const responses: Record<string, unknown> = {
      200: {
        description: 'OK',
        content:
          route.responseKind === 'binary'
            ? { 'application/octet-stream': {} }
            : route.responseKind === 'text'
              ? { 'text/plain': {} }
              : { 'application/json': { schema: route.response ?? { type: 'object' } } },
      },
      400: errorResponse,
    };
    if (route.role) Object.assign(responses, { 401: errorResponse, 403: errorResponse, 429: errorResponse });
    if (route.body || route.bodyKind) Object.assign(responses, { 413: errorResponse, 415: errorResponse });
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.role ? { security: [{ apiKey: [] }], 'x-qlp-role': route.role } : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(route.bodyKind === 'binary'
        ? { requestBody: { required: true, content: { 'application/octet-stream': {} } } }
        : route.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
          : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'QLP team backend', version, description: 'Shares capsules, usage and cost within each team. See docs/api.md.' },
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `Authorization: Bearer <key>`.' } } },
    paths,
  };
}
