/**
 * Road-checkpoint captures and watchlists (issue 11, section 2): 红塔区 files a watchlist, the city
 * approves it, a checkpoint platform pushes a capture of that plate through the API, and the
 * alarm appears on the duty officer's command map within seconds; the capture is then found on
 * the capture search page by its plate with an unknown character.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiSession, BASE_URL, useBrowser } from './helpers';

type Alert = { id: string; kind: string; details: { plate?: string } };

describe('a capture hitting an approved watchlist', () => {
  const browser = useBrowser();
  const plate = `云F${String(Date.now() % 100_000).padStart(5, '0')}`;
  let checkpointId = '';

  afterAll(async () => {
    // No alarm of this spec stays open on the duty officers' screens of the next specs.
    const duty = await apiSession('duty');
    const { items } = await duty.get<{ items: Alert[] }>('/api/alerts?state=open&kind=watchlist_hit');
    for (const alert of items.filter((a) => a.details.plate === plate)) await duty.post(`/api/alerts/${alert.id}/resolve`, { note: 'E2E' });
  });

  it('raises the alarm on the duty officer’s command map, and the capture is found by a misread plate', async () => {
    const county = await apiSession('hongta');
    const city = await apiSession('city');
    const platform = await apiSession('kakou');
    const sites = await county.get<{ items: { id: string; name: string }[] }>('/api/sites?kind=timber_checkpoint&pageSize=5');
    checkpointId = sites.items[0].id;
    const now = Date.now();
    const watchlist = await county.post<{ id: string; state: string }>('/api/watchlists', {
      name: 'E2E 布控',
      reason: '涉嫌非法运输木材',
      validFrom: new Date(now - 3_600_000).toISOString(),
      validTo: new Date(now + 86_400_000).toISOString(),
      entries: [{ plate }],
    });
    expect(watchlist.state).toBe('pending');
    expect((await city.post<{ state: string }>(`/api/watchlists/${watchlist.id}/approve`, {})).state).toBe('approved');

    const duty = await browser.openSignedIn('duty');
    await duty.page.goto(`${BASE_URL}/command`);
    await duty.page.getByTestId('map').waitFor();
    const result = await platform.post<{ stored: number; hits: number }>('/api/ingest/captures', [
      { checkpointId, plate, plateColor: 'blue', vehicleType: '重型货车', direction: 'in', at: new Date(Date.now() - 5_000).toISOString() },
    ]);
    expect(result).toMatchObject({ stored: 1, hits: 1 });
    const item = duty.page.locator('[data-testid="alert-item"][data-kind="watchlist_hit"]', { hasText: plate });
    await item.waitFor({ timeout: 15_000 });
    expect(await item.textContent()).toContain(sites.items[0].name);
    await duty.page.screenshot({ path: path.join(ARTIFACTS, 'watchlist-hit-command.png') });

    // The capture search finds it with the third character unknown, and shows its passages.
    const search = duty.page;
    await search.goto(`${BASE_URL}/captures`);
    const misread = `${[...plate].slice(0, 2).join('')}?${[...plate].slice(3).join('')}`;
    await search.getByTestId('capture-plate').fill(misread);
    await search.getByTestId('capture-search').click();
    const row = search.getByTestId('capture-row-plate').filter({ hasText: plate });
    await row.first().waitFor({ timeout: 10_000 });
    await search.getByTestId('capture-passages-open').first().click();
    await search.getByTestId('capture-timeline').waitFor();
    expect(await search.getByTestId('capture-timeline').textContent()).toContain(sites.items[0].name);
    await search.screenshot({ path: path.join(ARTIFACTS, 'watchlist-capture-passages.png') });
    expect(duty.errors).toEqual([]);
  });
});
