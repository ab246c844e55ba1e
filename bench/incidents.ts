/**
 * `npm run bench:incidents`: the command centre's figures (issue 9, section 7), each with a
 * baseline measured in the same run. See bench/README.md; results in docs/performance.md.
 *
 *   (a) SOS fix → the incident it opens on the duty officer's socket, while 5,000 fixes/s arrive
 *       (target p99 ≤ 500 ms); baseline: the same probe with no other load.
 *   (b) dispatch suggestions with 10,000 rangers online and 2,000 sites (target p95 ≤ 50 ms);
 *       baseline: the two nearest-unit queries alone (bench/dispatch.ts).
 *   (c) a 100,000-row FIRMS country file uploaded and imported with clustering (target ≤ 10 s
 *       embedded); baseline: reading the file alone. Printed too: what storing every row of a
 *       national file would cost, which the import does not do (only rows near Yuxi are kept).
 *
 * Each part runs on the embedded database and on PostgreSQL (`BENCH_DATABASE_URL`, default the
 * local server), on a fresh database it creates and deletes.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../server/src/db/connection.js';
import { parseFirmsCsv } from '../server/src/modules/hotspots/hotspots.firms.js';
import { measureSuggestions } from './dispatch.js';
import { log, measureSosLatency, mulberry32, n0, openBenchDatabase, signIn, startServer, verdict } from './harness.js';

const ONLY = new Set((process.env.BENCH_ONLY ?? 'a,b,c').split(','));
const MODES = (process.env.BENCH_MODES ?? 'embedded,postgres').split(',') as DatabaseHandle['mode'][];
const FIRMS_ROWS = Number(process.env.BENCH_FIRMS_ROWS ?? 100_000);
/** Fires burning inside Yuxi during the file's week, and detections of each (VIIRS sees a fire as several pixels, pass after pass). */
const FIRMS_FIRES = Number(process.env.BENCH_FIRMS_FIRES ?? 50);
const FIRMS_PER_FIRE = 20;
const SOS_IDLE_SAMPLES = 30;
const SOS_LOADED_SAMPLES = 110;

const TARGETS = { sosIncidentP99Ms: 500, suggestionsP95Ms: 50, firmsEmbeddedSeconds: 10 };

const VIIRS_HEADER =
  'country_id,latitude,longitude,bright_ti4,scan,track,acq_date,acq_time,satellite,instrument,confidence,version,bright_ti5,frp,daynight';

/**
 * A VIIRS country file for China over the last week: `rows` detections at random points and times
 * of the country's box, except for the fires inside Yuxi: each seen `FIRMS_PER_FIRE` times within
 * about 500 m of its point, over the passes of 12 hours (where they are placed and clustered).
 */
function countryFile(rows: number, fires: [number, number][]): string {
  const random = mulberry32(1130);
  const lines = [VIIRS_HEADER];
  const end = Date.now() - 3600_000;
  const confidence = ['l', 'n', 'h'];
  const fireStart = fires.map(() => end - 12 * 3600_000 - Math.floor(random() * 6 * 86_400_000));
  for (let i = 0; i < rows; i++) {
    const fire = Math.floor(i / FIRMS_PER_FIRE);
    const burning = fire < fires.length;
    const [lon, lat] = burning
      ? [fires[fire][0] + (random() - 0.5) * 0.008, fires[fire][1] + (random() - 0.5) * 0.008]
      : [73.5 + random() * (134.8 - 73.5), 18.2 + random() * (53.5 - 18.2)];
    const at = new Date(burning ? fireStart[fire] + Math.floor(random() * 12 * 3600_000) : end - Math.floor(random() * 7 * 86_400_000));
    const date = at.toISOString().slice(0, 10);
    const time = String(at.getUTCHours() * 100 + at.getUTCMinutes());
    lines.push(
      [
        'CHN',
        lat.toFixed(5),
        lon.toFixed(5),
        (300 + random() * 60).toFixed(2),
        (0.3 + random() * 0.5).toFixed(2),
        (0.3 + random() * 0.5).toFixed(2),
        date,
        time,
        i % 2 ? 'N' : 'N20',
        'VIIRS',
        confidence[Math.floor(random() * 3)],
        '2.0NRT',
        (280 + random() * 30).toFixed(2),
        (random() * 40).toFixed(2),
        at.getUTCHours() < 12 ? 'D' : 'N',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

async function measureSos(mode: DatabaseHandle['mode']) {
  const { database, cleanup } = await openBenchDatabase(mode, 'sos');
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    server = await startServer(database);
    log(`(a) SOS → incident, ${mode}: migrated and seeded in ${server.setupSeconds.toFixed(1)} s`);
    const idle = await measureSosLatency(server, {
      until: 'incident',
      label: '    baseline, SOS → incident on the socket',
      samples: SOS_IDLE_SAMPLES,
      paceFixesPerSec: 0,
    });
    const loaded = await measureSosLatency(server, {
      until: 'incident',
      label: '    SOS → incident on the socket',
      samples: SOS_LOADED_SAMPLES,
      skip: SOS_IDLE_SAMPLES,
      paceFixesPerSec: 5_000,
    });
    const { rows } = await database.pool.query<{ n: number }>("SELECT count(*)::int n FROM incidents WHERE source = 'sos'");
    log(`    incidents opened by the SOS presses: ${rows[0].n} (presses: ${idle.samples + idle.missed + loaded.samples + loaded.missed})`);
    log(`    under load / idle (p99) = ${(loaded.p99 / idle.p99).toFixed(2)}`);
    return { p99: loaded.p99, idleP99: idle.p99 };
  } finally {
    await server?.close();
    await cleanup();
  }
}

async function measureFirms(mode: DatabaseHandle['mode']) {
  const { database, cleanup } = await openBenchDatabase(mode, 'firms');
  let server: Awaited<ReturnType<typeof startServer>> | null = null;
  try {
    server = await startServer(database);
    const { rows: points } = await database.pool.query<{ lon: number; lat: number }>(
      `SELECT ST_X(p) lon, ST_Y(p) lat FROM (SELECT (ST_Dump(ST_GeneratePoints(area, $1::int, 7))).geom p FROM org_units WHERE code = '530400') q`,
      [FIRMS_FIRES],
    );
    const csv = countryFile(
      FIRMS_ROWS,
      points.map((p) => [p.lon, p.lat]),
    );
    // Read once before timing, so both the baseline and the import run warmed-up code.
    parseFirmsCsv(csv, 'warm-up.csv');
    const parseStarted = performance.now();
    const parsed = parseFirmsCsv(csv, 'bench.csv');
    const parseSeconds = (performance.now() - parseStarted) / 1000;
    log(
      `(c) FIRMS country file, ${mode}: ${n0(FIRMS_ROWS)} rows (${n0(points.length * FIRMS_PER_FIRE)} of ${points.length} fires inside Yuxi), ` +
        `${(csv.length / 2 ** 20).toFixed(1)} MiB`,
    );

    const cookie = await signIn(server.port, 'duty');
    const base = `http://127.0.0.1:${server.port}`;
    const { token } = (await (await fetch(`${base}/api/auth/csrf`, { headers: { cookie } })).json()) as { token: string };
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'SUOMI_VIIRS_C2_China_7d.csv');
    const started = performance.now();
    const response = await fetch(`${base}/api/hotspots/import`, { method: 'POST', headers: { cookie, 'x-csrf-token': token }, body: form });
    const seconds = (performance.now() - started) / 1000;
    const summary = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`import answered ${response.status} ${JSON.stringify(summary)}`);
    log(
      `    upload → answer: ${seconds.toFixed(2)} s (imported ${summary.imported}, duplicates ${summary.duplicates}, outside ${summary.outside}, clusters ${summary.clusters}, ` +
        `incidents ${summary.incidents}, bad rows ${(summary.badRows as unknown[]).length})`,
    );

    log(
      `    baseline, reading the file alone (parseFirmsCsv): ${parseSeconds.toFixed(2)} s; import / reading = ${(seconds / parseSeconds).toFixed(2)}`,
    );
    // What storing every row would cost (the choice not taken, docs/decisions.md): one statement per 20,000 rows into an empty copy of the table.
    await database.db.execute(sql`CREATE TABLE hotspots_bench (LIKE hotspots INCLUDING ALL)`);
    const rows = parsed.rows.map((r) => ({
      satellite: r.satellite,
      at: r.detectedAt.toISOString(),
      lon: r.lon,
      lat: r.lat,
      confidence: r.confidence,
      frp: r.frp,
    }));
    const baseStarted = performance.now();
    for (let at = 0; at < rows.length; at += 20_000) {
      await database.db.execute(sql`
        INSERT INTO hotspots_bench (source, satellite, satellite_code, detected_at, location, lon_e4, lat_e4, confidence, frp)
        SELECT 'firms', r.satellite, r.satellite, r.at, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), round(r.lon * 1e4), round(r.lat * 1e4),
          r.confidence, r.frp
        FROM json_to_recordset(${JSON.stringify(rows.slice(at, at + 20_000))}::json)
          AS r(satellite text, at timestamptz, lon float8, lat float8, confidence text, frp real)
        ON CONFLICT DO NOTHING`);
    }
    const baseSeconds = (performance.now() - baseStarted) / 1000;
    log(
      `    for comparison, writing all ${n0(rows.length)} rows into an empty copy of the table, its indexes included: ${baseSeconds.toFixed(2)} s`,
    );
    return { seconds, parseSeconds, storeAllSeconds: baseSeconds };
  } finally {
    await server?.close();
    await cleanup();
  }
}

async function main() {
  const cpus = os.cpus();
  log(`SafeForest command-centre benchmark, ${new Date().toISOString()}`);
  log(`machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; Node ${process.version}`);
  log(
    `load average at start: ${os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')} (a figure taken while others run tests is not a figure of the code)`,
  );
  log();
  const figures: Record<string, number> = {};
  for (const mode of MODES) {
    if (ONLY.has('a')) {
      const sos = await measureSos(mode);
      figures[`sosIncidentP99Ms_${mode}`] = +sos.p99.toFixed(1);
      figures[`sosIncidentIdleP99Ms_${mode}`] = +sos.idleP99.toFixed(1);
      log();
    }
    if (ONLY.has('b')) {
      const s = await measureSuggestions(mode);
      figures[`suggestionsP95Ms_${mode}`] = s.cityP95Ms;
      figures[`suggestionsCountyP95Ms_${mode}`] = s.countyP95Ms;
      figures[`suggestionsQueriesP95Ms_${mode}`] = s.rawP95Ms;
      log();
    }
    if (ONLY.has('c')) {
      const firms = await measureFirms(mode);
      figures[`firmsSeconds_${mode}`] = +firms.seconds.toFixed(2);
      figures[`firmsReadingSeconds_${mode}`] = +firms.parseSeconds.toFixed(2);
      figures[`firmsStoreAllSeconds_${mode}`] = +firms.storeAllSeconds.toFixed(2);
      log();
    }
  }
  log('targets on this 2-core machine:');
  const check = (key: string, text: string, ok: (v: number) => boolean) => {
    const v = figures[key];
    log(`  ${text.padEnd(46)} ${v === undefined ? 'not measured' : `${v}  ${verdict(ok(v))}`}`);
  };
  for (const mode of MODES) {
    check(`sosIncidentP99Ms_${mode}`, `SOS → incident p99 ≤ ${TARGETS.sosIncidentP99Ms} ms, ${mode}`, (v) => v <= TARGETS.sosIncidentP99Ms);
    check(`suggestionsP95Ms_${mode}`, `suggestions p95 ≤ ${TARGETS.suggestionsP95Ms} ms, ${mode}`, (v) => v <= TARGETS.suggestionsP95Ms);
  }
  check(
    'firmsSeconds_embedded',
    `FIRMS 100k import ≤ ${TARGETS.firmsEmbeddedSeconds} s, embedded`,
    (v) => v <= TARGETS.firmsEmbeddedSeconds,
  );
  console.log(JSON.stringify({ bench: 'incidents', ...figures }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
