// The API client: openapi-fetch over the types openapi-typescript generated from the API's own
// document (schema.d.ts, from openapi.json that `eoffice openapi` writes). No hand-written
// copies of API shapes: every type below is taken from the generated `components`.

import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { report } from '../app/network';

export type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type Assignment = Schemas['Assignment'];
export type AssignmentStatus = Schemas['AssignmentStatus'];
export type InboxPage = Schemas['Page_Assignment_'];
export type InboxSummary = Schemas['InboxSummary'];
export type Letter = Schemas['Letter'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type DispositionTree = Schemas['DispositionTree'];
export type DispositionNode = Schemas['DispositionNode'];
export type DisposeRequest = Schemas['DisposeRequest'];
export type Disposed = Schemas['Disposed'];
export type DispositionSettings = Schemas['DispositionSettings'];
export type DispositionsSummary = Schemas['DispositionsSummary'];
export type UnitCounts = Schemas['UnitCounts'];
export type PreparedDisposition = Schemas['PreparedDisposition'];
export type PreparedUpdate = Schemas['PreparedUpdate'];
export type YearCalendar = Schemas['YearCalendar'];
export type Urgensi = Schemas['Urgensi'];
export type Sifat = Schemas['Sifat'];
export type Role = Schemas['Role'];
export type Capacity = Schemas['Capacity'];
export type Unit = Schemas['Unit'];
export type Position = Schemas['Position'];
export type Employee = Schemas['Employee'];
export type Problem = Schemas['Problem'];
export type Download = Schemas['Download'];
export type ReportUpload = Schemas['ReportUpload'];
export type Recipient = Schemas['Recipient'];
export type Instruction = Schemas['Instruction'];
export type Notification = Schemas['Notification'];
export type NotificationPage = Schemas['NotificationPage'];
export type Preferences = Schemas['Preferences'];
export type Channel = Schemas['Channel'];
export type FailurePage = Schemas['FailurePage'];
export type NoticeKind = Schemas['NoticeKind'];
export type DeliveryStatus = Schemas['DeliveryStatus'];

export type Api = ReturnType<typeof createClient<paths>>;

/** A 4xx/5xx answer, with the problem+json the API sends (or what the gateway said). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  /** A 422's field problems ({location, message, type}), as the API lists them. */
  readonly errors: { location?: string; message?: string; type?: string }[];
  constructor(status: number, body: unknown) {
    const problem = (typeof body === 'object' && body !== null ? body : {}) as Partial<Problem> & {
      message?: string;
    };
    const detail = problem.detail ?? problem.message ?? `HTTP ${status}`;
    super(detail);
    this.status = status;
    this.code = problem.code ?? `http_${status}`;
    this.detail = detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

/** No answer at all (offline, DNS, connection reset): the caller may keep the data it had. */
export class NetworkError extends Error {}

export function makeApi(baseUrl: string, token: () => Promise<string | null>): Api {
  const auth: Middleware = {
    async onRequest({ request }) {
      const t = await token();
      if (t) request.headers.set('Authorization', `Bearer ${t}`);
      return request;
    },
  };
  // Every call says whether the API answered (app/network.ts), for the header's offline notice.
  const watched = async (input: Request) => {
    try {
      const answer = await globalThis.fetch(input);
      report(true);
      return answer;
    } catch (error) {
      report(false);
      throw error;
    }
  };
  const api = createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, ''), fetch: watched });
  api.use(auth);
  return api;
}

/**
 * The data of an openapi-fetch call, or a thrown ApiError / NetworkError.
 * `await ok(api.GET('/me'))`.
 */
export async function ok<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new NetworkError(error instanceof Error ? error.message : String(error));
  }
  if (!result.response.ok) throw new ApiError(result.response.status, result.error);
  return result.data as T;
}
export type Recipients = Schemas['Recipients'];
export type ReachableUnit = Schemas['ReachableUnit'];
export type UnitColleague = Schemas['UnitColleague'];
export type DispositionContent = Schemas['DispositionContent'];
export type ScheduleOverview = Schemas['ScheduleOverview'];
export type ActingFor = Schemas['ActingFor'];
