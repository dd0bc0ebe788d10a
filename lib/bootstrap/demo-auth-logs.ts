import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { connection, db, type Executor, rowsOf } from "@/lib/db";
import { env } from "@/lib/env";
import { newIdSql } from "@/lib/ids";
import { DEMO_CLIENTS, DEMO_ORGANIZATIONS, DEMO_UNREGISTERED_CLIENT_ID } from "./demo-entities";
import { journeyTemplates } from "./journeys";

/**
 * Writes realistic auth-log history straight into PostgreSQL: set-based INSERT … SELECT over
 * generate_series, so a million attempts with their events take a minute or two rather than
 * hours of round trips. Each attempt follows one of the journey templates in ./journeys.ts (the
 * event types, statuses and failure codes the sign-in and OAuth code write), for a member and an
 * application of the demo tenants. The SQL is plain PostgreSQL 15, which PGlite also runs.
 *
 * Attempts are spread over the hours of the last `days` days by a working-hours profile and
 * written oldest first, one slice of time per statement, in created_at order. Every index on
 * auth_requests leads with created_at or a time-ordered id, so the writes append at the right
 * edge of each index instead of touching random pages all over a large table.
 */
export type GenerateAuthLogsOptions = {
  count: number;
  /** How many of them are still open (Initiated or Pending), started in the last 10 minutes. */
  openCount?: number;
  /** History spans this many days before `now`. */
  days?: number;
  now?: Date;
  /** Rows per INSERT statement, roughly: big enough to amortise, small enough for PGlite. */
  batchSize?: number;
  onProgress?: (written: number) => void;
};

/** A slice of time and how many attempts begin in it. */
export type TimeCell = { start: string; seconds: number; n: number; open: boolean };

// Whose sign-ins the history shows: members of the demo organizations, via the demo clients.
const DEMO_ORGANIZATION_SLUGS = DEMO_ORGANIZATIONS.map((organization) => organization.slug);
const DEMO_CLIENT_IDS = DEMO_CLIENTS.map((client) => client.clientId);

const HOUR_MS = 3_600_000;
// Closed attempts end before the abandoned-request sweep would look at them (15 min timeout).
const HISTORY_END_MS = 16 * 60_000;
// Relative sign-in volume per UTC hour: a working day, quiet nights.
const HOUR_WEIGHTS = [
  0.15, 0.15, 0.15, 0.15, 0.15, 0.2, 0.4, 0.8, 1, 1, 1, 1, 0.8, 1, 1, 1, 1, 0.8, 0.5, 0.3, 0.3, 0.3,
  0.2, 0.2,
];
const WEEKEND_WEIGHT = 0.3;

/**
 * Writes `count` attempts with their events on `tx`, one batch after the other; returns how
 * many rows of each were written. For the small demo history inside the bootstrap transaction.
 */
export async function generateAuthLogs(
  tx: Executor,
  options: GenerateAuthLogsOptions,
): Promise<{ authLogs: number; events: number }> {
  const written = { authLogs: 0, events: 0 };
  for (const cells of planBatches(options)) {
    add(written, await writeBatch(tx, cells));
    options.onProgress?.(written.authLogs);
  }
  return written;
}

/**
 * The same for large volumes (`npm run db:seed -- --auth-logs 1000000`): batches run in their
 * own transactions, several at once on PostgreSQL, tuned for loading (see `tuneForBulkLoad`).
 */
export async function bulkGenerateAuthLogs(
  options: GenerateAuthLogsOptions,
): Promise<{ authLogs: number; events: number }> {
  const queue = planBatches(options);
  // PGlite has one connection and one core to give; PostgreSQL spreads batches over backends.
  const workers = connection().kind === "postgres" ? Math.min(4, env.databasePoolSize) : 1;
  const written = { authLogs: 0, events: 0 };
  const work = async () => {
    for (let cells = queue.shift(); cells; cells = queue.shift()) {
      const batch = cells;
      add(
        written,
        await db.transaction(async (tx) => {
          await tuneForBulkLoad(tx);
          return writeBatch(tx, batch);
        }),
      );
      options.onProgress?.(written.authLogs);
    }
  };
  await Promise.all(Array.from({ length: workers }, work));
  return written;
}

/**
 * Transaction-local settings for a bulk batch: sorts and hashes in memory, no wait for the WAL
 * flush at commit (losing a seed batch to a crash costs nothing), and — only where the role
 * may (superusers, as on a development database and in PGlite) — no per-row foreign-key
 * check: each batch writes an attempt and its events in one statement, so the key holds by
 * construction, and checking it would cost the bulk load much of its speed.
 */
async function tuneForBulkLoad(tx: Executor): Promise<void> {
  await tx.execute(sql`select set_config('work_mem', '128MB', true)`);
  await tx.execute(sql`select set_config('synchronous_commit', 'off', true)`);
  await tx.execute(
    sql`select set_config('session_replication_role', 'replica', true)
        where current_setting('is_superuser') = 'on'`,
  );
}

async function writeBatch(
  tx: Executor,
  cells: TimeCell[],
): Promise<{ authLogs: number; events: number }> {
  const [counts] = rowsOf<{ auth_logs: number | string; events: number | string }>(
    await tx.execute(batchStatement(cells)),
  );
  return { authLogs: Number(counts?.auth_logs ?? 0), events: Number(counts?.events ?? 0) };
}

function add(total: { authLogs: number; events: number }, batch: typeof total): void {
  total.authLogs += batch.authLogs;
  total.events += batch.events;
}

/**
 * Splits the history into hour cells weighted by HOUR_WEIGHTS (fewer at weekends), gives each
 * cell its share of `count` (largest remainder, so the shares add up exactly), and groups
 * consecutive cells into batches. Open attempts get a last cell of their own.
 */
export function planBatches(options: GenerateAuthLogsOptions): TimeCell[][] {
  const now = (options.now ?? new Date()).getTime();
  const open = Math.min(options.openCount ?? 0, options.count);
  const closed = options.count - open;
  const end = now - HISTORY_END_MS;
  const start = end - (options.days ?? 30) * 24 * HOUR_MS;
  const slots: { start: number; end: number; weight: number }[] = [];
  for (let hour = Math.floor(start / HOUR_MS) * HOUR_MS; hour < end; hour += HOUR_MS) {
    const from = Math.max(hour, start);
    const to = Math.min(hour + HOUR_MS, end);
    const date = new Date(hour);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    const weight =
      (HOUR_WEIGHTS[date.getUTCHours()] as number) *
      (weekend ? WEEKEND_WEIGHT : 1) *
      ((to - from) / HOUR_MS);
    slots.push({ start: from, end: to, weight });
  }
  const total = slots.reduce((sum, slot) => sum + slot.weight, 0);
  const shares = slots.map((slot) => (closed * slot.weight) / total);
  const counts = shares.map(Math.floor);
  const remainder = closed - counts.reduce((sum, n) => sum + n, 0);
  shares
    .map((share, index) => ({ index, fraction: share - Math.floor(share) }))
    .sort((a, b) => b.fraction - a.fraction)
    .slice(0, remainder)
    .forEach(({ index }) => {
      counts[index] = (counts[index] as number) + 1;
    });

  const batchSize = options.batchSize ?? 50_000;
  const batches: TimeCell[][] = [];
  let batch: TimeCell[] = [];
  let size = 0;
  slots.forEach((slot, index) => {
    const n = counts[index] as number;
    if (n === 0) return;
    batch.push({
      start: new Date(slot.start).toISOString(),
      seconds: (slot.end - slot.start) / 1000,
      n,
      open: false,
    });
    size += n;
    if (size >= batchSize) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
  });
  if (batch.length > 0) batches.push(batch);
  if (open > 0) {
    // Begun between ten minutes and one minute ago: every step recorded so far is in the past.
    batches.push([
      { start: new Date(now - 10 * 60_000).toISOString(), seconds: 540, n: open, open: true },
    ]);
  }
  return batches;
}

function batchStatement(cells: TimeCell[]): SQL {
  return sql`
    with
      tpl as (
        select * from jsonb_to_recordset(${JSON.stringify(journeyTemplates())}::jsonb) as t(
          idx int, lo float8, hi float8, open boolean, status text, method text,
          error_code text, error_description text, identified boolean, email_kind text,
          client_kind text, redirect_kind text, session_found boolean, prompt_none boolean,
          end_fixed float8, end_var float8, step_types text[], step_statuses text[],
          step_fixed float8[], step_var float8[], step_details text[]
        )
      ),
      cell as (
        select * from jsonb_to_recordset(${JSON.stringify(cells)}::jsonb) as c(
          start timestamptz, seconds float8, n int, open boolean
        )
      ),
      people as materialized (
        select (row_number() over (order by u.id) - 1)::int as idx, u.id as user_id, u.email,
          o.id as org_id, o.name as org_name
        from users u
        join memberships m on m.user_id = u.id
        join organizations o on o.id = m.organization_id
        where o.slug in (${sql.join(
          DEMO_ORGANIZATION_SLUGS.map((slug) => sql`${slug}`),
          sql`, `,
        )})
      ),
      clients as materialized (
        select (row_number() over (order by c.client_id) - 1)::int as idx, c.client_id,
          c.name, c.redirect_uris[1] as redirect_uri
        from oauth_clients c
        where c.client_id in (${sql.join(
          DEMO_CLIENT_IDS.map((id) => sql`${id}`),
          sql`, `,
        )})
      ),
      timed as materialized (
        select c.open, c.start + make_interval(secs => random() * c.seconds) as created_at,
          random() as r_tpl, random() as r_person, random() as r_client, random() as r_pace,
          random() as r_scope, random() as r_ip
        from cell c cross join lateral generate_series(1, c.n) as g
      ),
      planned as materialized (
        select
          ${newIdSql("areq", sql`t.created_at`)} as id,
          t.created_at,
          0.6 + t.r_pace * 1.8 as pace,
          tpl.idx as tpl, tpl.status, tpl.method, tpl.error_code, tpl.error_description,
          tpl.session_found, tpl.prompt_none, tpl.end_fixed, tpl.end_var, tpl.open,
          case when tpl.identified then p.user_id end as user_id,
          case tpl.email_kind
            when 'user' then p.email
            -- An unknown user: what people mistype, a letter short of a colleague's address.
            when 'typo' then left(split_part(p.email, '@', 1), -1) || '@' || split_part(p.email, '@', 2)
          end as email,
          case when tpl.identified then p.org_id end as organization_id,
          -- Every demo member's domain belongs to their organization: home realm discovery
          -- names it as the connection.
          case when tpl.identified then p.org_name end as org_name,
          case when tpl.client_kind = 'unregistered' then ${DEMO_UNREGISTERED_CLIENT_ID}
            else c.client_id end as client_id,
          case when tpl.client_kind = 'unregistered' then null else c.name end as client_name,
          case tpl.redirect_kind
            when 'wrong' then 'http://localhost:3001/callback'
            when 'unchecked' then 'https://app.example.com/callback'
            else c.redirect_uri
          end as redirect_uri,
          case when c.client_id = 'demo-portal' and t.r_scope < 0.4
            then 'openid profile email offline_access' else 'openid profile email' end as scope,
          case
            when t.r_ip < 0.7 then '198.51.100.' || (p.idx % 250 + 1)
            when t.r_ip < 0.9 then '203.0.113.' || (floor(t.r_ip * 1000)::int % 250 + 1)
            else '2001:db8::' || to_hex(p.idx + 1)
          end as ip,
          (${sql.join(
            [
              sql`array[`,
              sql.join(
                USER_AGENTS.map((agent) => sql`${agent}`),
                sql`, `,
              ),
              sql`]`,
            ],
            sql``,
          )})[p.idx % ${USER_AGENTS.length} + 1] as user_agent
        from timed t
        join tpl on tpl.open = t.open and t.r_tpl >= tpl.lo and t.r_tpl < tpl.hi
        join people p on p.idx = floor(t.r_person * (select count(*) from people))::int
        join clients c on c.idx = (case when t.r_client < 0.6 then 0 else 1 end)
          % (select count(*) from clients)
      ),
      requests as (
        insert into auth_requests (
          id, status, client_id, organization_id, user_id, email, auth_method, connection,
          redirect_uri, scope, code_challenge_method, prompt, ip, user_agent, error_code,
          error_description, created_at, updated_at, completed_at
        )
        select id, status, client_id, organization_id, user_id, email, method, org_name,
          redirect_uri, scope, 'S256', case when prompt_none then 'none' end, ip, user_agent,
          error_code, error_description, created_at,
          created_at + make_interval(secs => end_fixed + end_var * pace),
          case when not open then created_at + make_interval(secs => end_fixed + end_var * pace) end
        from planned
        returning 1
      ),
      events as (
        -- Rows come out request by request, each journey's steps in array order, so the
        -- bigserial seq (which orders a journey's events) follows the steps without a sort.
        insert into auth_request_events (auth_request_id, type, status, detail, created_at)
        select p.id, s.type, s.status, ${eventDetail},
          p.created_at + make_interval(secs => s.fixed + s.var * p.pace)
        from planned p
        join tpl on tpl.idx = p.tpl
        cross join lateral unnest(
          tpl.step_types, tpl.step_statuses, tpl.step_fixed, tpl.step_var, tpl.step_details
        ) with ordinality as s(type, status, fixed, var, detail, no)
        returning 1
      )
    select (select count(*) from requests) as auth_logs, (select count(*) from events) as events
  `;
}

const USER_AGENTS = [
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
];

/** The demo's one interceptor, as lib/interceptors/run.ts describes an interceptor in events. */
const DEMO_INTERCEPTOR = sql`jsonb_build_object('interceptor_id', 'icpt_demo_risk_check',
  'interceptor_name', 'Acme risk check', 'url', 'https://risk.acme.test/gatehouse/pre-sign-in',
  'message', 'Sign-ins from this network are blocked by policy.', 'latency_ms', 84)`;

/** Event details shaped like the ones the sign-in and OAuth code record, per detail kind. */
const eventDetail = sql`case s.detail
  when 'authorize' then jsonb_build_object(
    'client_name', p.client_name, 'scopes', to_jsonb(string_to_array(p.scope, ' ')),
    'response_type', 'code', 'prompt', case when p.prompt_none then '["none"]'::jsonb else '[]'::jsonb end,
    'redirect_uri', p.redirect_uri, 'session_found', p.session_found)
  when 'identified' then jsonb_build_object(
    'user_id', p.user_id, 'email', p.email, 'organization_id', p.organization_id,
    'organization_name', p.org_name, 'connection', p.org_name, 'discovered_by', 'email_domain')
  when 'session_user' then jsonb_build_object(
    'user_id', p.user_id, 'email', p.email, 'auth_method', 'session')
  when 'authenticated' then jsonb_build_object(
    'user_id', p.user_id, 'email', p.email, 'auth_method', p.method)
  when 'password' then '{"auth_method": "password"}'::jsonb
  when 'email_sent' then jsonb_build_object('to', p.email, 'transport', 'outbox')
  when 'email_verified' then '{"auth_method": "email_code"}'::jsonb
  when 'email_rejected' then '{"reason": "wrong_code"}'::jsonb
  when 'interceptor_denied' then ${DEMO_INTERCEPTOR} || '{"decision": "DENY"}'::jsonb
  when 'failed_interceptor' then ${DEMO_INTERCEPTOR} || jsonb_build_object(
    'error_code', p.error_code, 'error_description', p.error_description)
  when 'code_issued' then jsonb_build_object('auth_method', p.method)
  when 'code_exchanged' then jsonb_build_object('client_id', p.client_id, 'scope', p.scope)
  when 'failed' then jsonb_build_object('error_code', p.error_code, 'error_description', p.error_description)
  when 'failed_expired' then jsonb_build_object(
    'error_code', p.error_code, 'error_description', p.error_description, 'timeout_ms', 900000)
  when 'failed_unknown_user' then jsonb_build_object(
    'error_code', p.error_code, 'error_description', p.error_description, 'email', p.email)
  when 'failed_credentials' then jsonb_build_object(
    'error_code', p.error_code, 'error_description', p.error_description,
    'user_id', p.user_id, 'auth_method', 'password')
  else '{}'::jsonb
end`;
