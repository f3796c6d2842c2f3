import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mayDo } from '../commands/write-face.ts';
import { quarterlyPackWorkbook } from '../documents/quarterly-pack.ts';
import {
  DOCUMENT_MEDIA_TYPES,
  type DocumentKind,
  renderReport,
} from '../documents/report-documents.ts';
import { QUARTERS, type Quarter } from '../events/catalogue/index.ts';
import { type Dashboard, dashboard, previousQuarters } from './dashboard-model.ts';
import { asAtOf, mayRead, pounds, requireSignIn, type WebDependencies } from './page-kit.ts';
import { page } from './render.ts';

/**
 * The CFO group's dashboard of a pool, year and quarter, its printable pack (the same page under
 * a print stylesheet, with the whole position), the pack as a workbook, and every report's
 * downloads; each as at a moment when `asAt` is given.
 */
interface Place {
  poolId: string;
  year: string;
  quarter: Quarter;
}

const YEAR = /^\d{4}-\d{2}$/;

function placeOf(params: Record<string, string>): Place | undefined {
  const { poolId = '', year = '', quarter = '' } = params;
  if (!YEAR.test(year) || !(QUARTERS as readonly string[]).includes(quarter)) return undefined;
  return { poolId, year, quarter: quarter as Quarter };
}

function notFound(request: FastifyRequest, reply: FastifyReply) {
  return page(reply.code(404), request, 'error.njk', {
    title: 'Page not found',
    message: 'There is no such pool, year or quarter, or it is not among the pools you may see.',
    next: { href: '/app', text: 'Go to your pools' },
  });
}

export async function dashboardPages(app: FastifyInstance, { deps }: { deps: WebDependencies }) {
  app.get('/pools/:poolId/:year/:quarter', (request, reply) =>
    dashboardPage(deps, request, reply, 'dashboard.njk'),
  );
  app.get('/pools/:poolId/:year/:quarter/pack', (request, reply) =>
    dashboardPage(deps, request, reply, 'pack.njk'),
  );
  app.get('/pools/:poolId/:year/:quarter/pack.xlsx', (request, reply) =>
    packWorkbook(deps, request, reply),
  );
  app.get('/pools/:poolId/:year/downloads/:file', (request, reply) =>
    download(deps, request, reply),
  );
}

/**
 * The dashboard's figures and charts, drawn once for the reports they are drawn from: the read
 * face gives the same report objects again while the ledger has not moved, and drawing the charts
 * is most of a page's cost.
 */
const drawn = new WeakMap<object, { inputs: readonly unknown[]; value: Dashboard }>();

function dashboardOf(
  report: Parameters<typeof dashboard>[0],
  toDate: Parameters<typeof dashboard>[1],
  balances: Parameters<typeof dashboard>[2],
): Dashboard {
  const inputs = [...toDate, balances];
  const hit = drawn.get(report);
  if (hit?.inputs.length === inputs.length && hit.inputs.every((input, at) => input === inputs[at]))
    return hit.value;
  const value = dashboard(report, toDate, balances);
  drawn.set(report, { inputs, value });
  return value;
}

/** The quarter's report, the reports of the quarters to it (for the trend), and the balances. */
async function load(deps: WebDependencies, place: Place, asAt: string | undefined) {
  const at = asAt === undefined ? {} : { asAt };
  const found = await deps.readFace.report({ kind: 'quarter', ...place, ...at });
  if (!found.found) return undefined;
  const toDate = [];
  for (const quarter of previousQuarters(place.quarter)) {
    const earlier = await deps.readFace.report({ kind: 'quarter', ...place, quarter, ...at });
    if (earlier.found) toDate.push(earlier.value);
  }
  const balances = await deps.readFace.report({
    kind: 'balances',
    poolId: place.poolId,
    year: place.year,
    ...at,
  });
  return { report: found.value, toDate, balances: balances.found ? balances.value : undefined };
}

async function dashboardPage(
  deps: WebDependencies,
  request: FastifyRequest,
  reply: FastifyReply,
  template: 'dashboard.njk' | 'pack.njk',
) {
  if (!requireSignIn(request, reply)) return reply;
  const place = placeOf(request.params as Record<string, string>);
  if (place === undefined || !mayRead(request.person, place.poolId))
    return notFound(request, reply);
  const asAt = asAtOf(request.query);
  const loaded = await load(deps, place, asAt);
  if (loaded === undefined) return notFound(request, reply);
  const { position } = loaded.report;
  return page(reply, request, template, {
    title: `${position.poolName}: ${position.year} ${position.quarter}`,
    place,
    asAt,
    producedOn: new Date().toISOString(),
    position,
    lines: position.lines.map((line) => ({ ...line, figures: linePounds(line) })),
    totals: Object.fromEntries(
      Object.entries(position.totals).map(([key, value]) => [key, pounds(value)]),
    ),
    dashboard: dashboardOf(loaded.report, loaded.toDate, loaded.balances),
    corrections: loaded.report.correctionsSinceClose.map((correction) => ({
      ...correction,
      amount: pounds(correction.amount),
    })),
    quarters: QUARTERS,
    downloads: downloadsOf(place, asAt),
    mayRecord: request.person !== undefined && mayDo(request.person.role, 'record'),
  });
}

async function packWorkbook(deps: WebDependencies, request: FastifyRequest, reply: FastifyReply) {
  if (!requireSignIn(request, reply)) return reply;
  const place = placeOf(request.params as Record<string, string>);
  if (place === undefined || !mayRead(request.person, place.poolId))
    return notFound(request, reply);
  const asAt = asAtOf(request.query);
  const found = await deps.readFace.report({
    kind: 'quarter',
    ...place,
    ...(asAt === undefined ? {} : { asAt }),
  });
  if (!found.found) return notFound(request, reply);
  const workbook = await quarterlyPackWorkbook(found.value, {
    poolName: found.value.position.poolName,
    asAt: asAt ?? null,
    producedOn: new Date().toISOString(),
  });
  return reply
    .type(DOCUMENT_MEDIA_TYPES.xlsx)
    .header(
      'content-disposition',
      `attachment; filename="${place.poolId}-${place.year}-${place.quarter}-pack.xlsx"`,
    )
    .send(workbook);
}

async function download(deps: WebDependencies, request: FastifyRequest, reply: FastifyReply) {
  if (!requireSignIn(request, reply)) return reply;
  const { poolId = '', year = '', file = '' } = request.params as Record<string, string>;
  const match = /^(balances|year-end|extract|(Q[1-4])-position)\.(csv|xlsx)$/.exec(file);
  if (match === null || !YEAR.test(year) || !mayRead(request.person, poolId))
    return notFound(request, reply);
  const quarter = match[2] as Quarter | undefined;
  const kind: DocumentKind = quarter === undefined ? (match[1] as DocumentKind) : 'quarter';
  const format = match[3] as 'csv' | 'xlsx';
  const asAt = asAtOf(request.query);
  const found = await deps.readFace.report({
    kind,
    poolId,
    year,
    ...(quarter === undefined ? {} : { quarter }),
    ...(asAt === undefined ? {} : { asAt }),
  });
  if (!found.found) return notFound(request, reply);
  const body = await renderReport(kind, found.value as never, format);
  return reply
    .type(DOCUMENT_MEDIA_TYPES[format])
    .header('content-disposition', `attachment; filename="${poolId}-${year}-${file}"`)
    .send(body);
}

function linePounds(line: Record<string, unknown>): Record<string, string> {
  const figures: Record<string, string> = {};
  for (const [key, value] of Object.entries(line))
    if (typeof value === 'string' && /^-?\d+\.\d{2}$/.test(value)) figures[key] = pounds(value);
  return figures;
}

function downloadsOf(place: Place, asAt: string | undefined) {
  const at = asAt === undefined ? '' : `?asAt=${encodeURIComponent(asAt)}`;
  const base = `/app/pools/${place.poolId}/${place.year}`;
  return [
    {
      text: `${place.quarter} pack (workbook, for printing)`,
      href: `${base}/${place.quarter}/pack.xlsx${at}`,
    },
    {
      text: `${place.quarter} position (CSV)`,
      href: `${base}/downloads/${place.quarter}-position.csv${at}`,
    },
    {
      text: `${place.quarter} position, every table (workbook)`,
      href: `${base}/downloads/${place.quarter}-position.xlsx${at}`,
    },
    { text: 'Balances (CSV)', href: `${base}/downloads/balances.csv${at}` },
    { text: 'Balances (workbook)', href: `${base}/downloads/balances.xlsx${at}` },
    { text: 'Year-end statement (workbook)', href: `${base}/downloads/year-end.xlsx${at}` },
    { text: 'NHS England returns (workbook)', href: `${base}/downloads/extract.xlsx${at}` },
  ];
}
