// Which team a request acts for. Every key belongs to one team and sees only that team's
// capsules, blobs, usage and audit. The QLP_ADMIN_KEY key is global: it belongs to 'default', and
// may act for any team by naming it in the X-QLP-Team header; without the header, its key list,
// audit log and usage cover every team.
import type { FastifyRequest } from 'fastify';
import { teamHeader, teamPattern } from '../../protocol/backendApi';
import { callerOf } from './context';
import { BadRequest, HttpError } from './errors';

/** As Node hands headers over: lowercased. */
const header = teamHeader.toLowerCase();

/** The team named by the X-QLP-Team header, checked against what the caller may act for. */
function namedTeam(request: FastifyRequest): string | undefined {
  const named = request.headers[header];
  if (named === undefined) return undefined;
  if (typeof named !== 'string' || !teamPattern.test(named))
    throw new BadRequest(`the ${teamHeader} header must name a team: lowercase letters, digits and inner dashes, at most 40 characters`);
  const caller = callerOf(request);
  if (named !== caller.team && !caller.global) throw new HttpError(403, `this key belongs to team '${caller.team}' and may not act for team '${named}'`);
  return named;
}

/** The team whose capsules and blobs a request reads and writes. */
export function actingTeam(request: FastifyRequest): string {
  return namedTeam(request) ?? callerOf(request).team;
}

/** The team a listing covers: the acting team, or every team (null) for a global key naming none. */
export function listedTeam(request: FastifyRequest): string | null {
  const named = namedTeam(request);
  if (named !== undefined) return named;
  const caller = callerOf(request);
  return caller.global ? null : caller.team;
}
