/**
 * Scheduled intake of FIRMS files (off by default: the machine may be offline). Two sources, each
 * optional: a folder whose `.csv` files are imported once each (by content: a file copied again is
 * skipped), and a URL template such as FIRMS's area API, fetched on every round, whose rows already
 * stored count as duplicates. Every round's outcome per file or fetch is recorded
 * (`hotspot_feed_runs`) and audited as the satellite feed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { systemPrincipal } from '../../platform/change.js';
import type { ImportSummary } from './hotspots.schema.js';
import type { HotspotsService } from './hotspots.service.js';

const FEED = systemPrincipal('satellite_feed');
const FETCH_TIMEOUT_MS = 60_000;
/** A polled file or answer larger than this is refused (a FIRMS country file of a week is a few MB). */
const MAX_BYTES = 50 * 1024 * 1024;

export type HotspotPollSettings = {
  /** A folder whose new `.csv` files are imported. */
  dir?: string;
  /** A URL; `{bbox}` is replaced by the city's `west,south,east,north`. */
  url?: string;
  /** Minutes between rounds; 0 is off. */
  intervalMinutes: number;
};

export type PollOutcome = { source: string; skipped?: true; summary?: ImportSummary; error?: string };

/** The URL as recorded: the key in FIRMS's path (`…/csv/{MAP_KEY}/…`) and key parameters hidden. */
export function redactedUrl(url: string): string {
  return url.replace(/(\/csv\/)[^/]+\//i, '$1***/').replace(/([?&](?:map_?key|key|token)=)[^&]*/gi, '$1***');
}

export function createHotspotPoller({
  hotspotsService,
  onError,
}: {
  hotspotsService: Pick<HotspotsService, 'importFirms' | 'fedAlready' | 'recordFailedRun' | 'cityBbox'>;
  onError: (error: unknown) => void;
}) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  const fingerprintOf = (data: Buffer) => createHash('sha256').update(data).digest('hex');

  /** Imports content once: skipped when this very content was imported before. */
  async function take(kind: 'folder' | 'url', source: string, data: Buffer): Promise<PollOutcome> {
    const fingerprint = fingerprintOf(data);
    if (await hotspotsService.fedAlready(fingerprint)) return { source, skipped: true };
    const run = { kind, source, fingerprint };
    try {
      return { source, summary: await hotspotsService.importFirms(FEED, data, path.basename(source), run) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await hotspotsService.recordFailedRun(FEED, run, message);
      return { source, error: message };
    }
  }

  /** One round over the folder: every `.csv` file not imported yet, in name order. */
  async function pollFolder(dir: string): Promise<PollOutcome[]> {
    const names = (await fs.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.csv'))
      .map((e) => e.name)
      .sort();
    const outcomes: PollOutcome[] = [];
    for (const name of names) {
      const file = path.join(dir, name);
      const { size } = await fs.stat(file);
      if (size > MAX_BYTES) {
        outcomes.push({ source: file, error: `larger than ${MAX_BYTES / 1024 / 1024} MB` });
        continue;
      }
      outcomes.push(await take('folder', file, await fs.readFile(file)));
    }
    return outcomes;
  }

  /** One fetch of the URL (with the city's bounding box filled in). */
  async function pollUrl(template: string): Promise<PollOutcome> {
    const box = await hotspotsService.cityBbox();
    const url = template.replace('{bbox}', box ? box.map((v) => v.toFixed(4)).join(',') : '');
    const source = redactedUrl(url);
    let data: Buffer;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      data = Buffer.from(await res.arrayBuffer());
      if (data.length > MAX_BYTES) throw new Error(`larger than ${MAX_BYTES / 1024 / 1024} MB`);
    } catch (error) {
      const message = `fetching ${source} failed: ${error instanceof Error ? error.message : String(error)}`;
      await hotspotsService.recordFailedRun(FEED, { kind: 'url', source, fingerprint: '' }, message);
      return { source, error: message };
    }
    return take('url', source, data);
  }

  /** One round over every configured source. */
  async function pollOnce(settings: HotspotPollSettings): Promise<PollOutcome[]> {
    const outcomes: PollOutcome[] = [];
    if (settings.dir) outcomes.push(...(await pollFolder(settings.dir)));
    if (settings.url) outcomes.push(await pollUrl(settings.url));
    return outcomes;
  }

  return {
    pollFolder,
    pollUrl,
    pollOnce,
    /** Starts the rounds (nothing when no source or no interval is set); a round never overlaps the last. */
    start(settings: HotspotPollSettings) {
      if (timer || settings.intervalMinutes <= 0 || (!settings.dir && !settings.url)) return;
      const round = () => {
        if (running) return;
        running = pollOnce(settings)
          .catch(onError)
          .finally(() => {
            running = null;
          });
      };
      timer = setInterval(round, settings.intervalMinutes * 60_000);
      timer.unref();
      round();
    },
    /** Stops the rounds and waits for one under way. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
export type HotspotPoller = ReturnType<typeof createHotspotPoller>;
