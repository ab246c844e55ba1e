/**
 * One incident from report to resolution: a public tip-off becomes an incident that flashes on the duty
 * officer's command map within seconds; the officer opens it, dispatches the nearest ranger from
 * the suggestions; the ranger (a phone with emulated geolocation, on patrol) accepts on the phone
 * page and walks onto the incident, which the server takes as arrival; the incident shows on scene
 * and the officer resolves it. The report is a tip-off sent from the public page on a phone, without
 * an account. Screens of every page are kept in e2e/artifacts.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiSession, BASE_URL, type OrgUnit, useBrowser, type WatchedPage, waitForMap } from './helpers';

const GRID = '玉兴街道第1网格';

type Incident = { id: string; code: string; status: string; source: string; countyCode: string | null; placeText: string | null };

describe('an incident from report to resolution', () => {
  const browser = useBrowser();
  let duty: WatchedPage;
  let page: Page;
  let centre: [number, number];
  let point: [number, number];
  let incident: Incident;
  let ranger: WatchedPage;
  let rangerId: string;
  const confirmDialog = () => page.locator('.el-message-box').last();

  beforeAll(async () => {
    const hongta = await apiSession('hongta');
    const { items } = await hongta.get<{ items: OrgUnit[] }>(`/api/org/units?q=${encodeURIComponent(GRID)}`);
    const grid = items.find((u) => u.name === GRID);
    if (!grid?.center) throw new Error(`${GRID} has no centre`);
    centre = grid.center;
    // About 300 m north-east of the grid's centre.
    point = [Number((centre[0] + 0.002).toFixed(6)), Number((centre[1] + 0.002).toFixed(6))];
  });
  afterAll(async () => {
    // The incident must not stay open on the officers' screens of the next specs.
    if (!incident) return;
    const api = await apiSession('duty');
    const now = await api.get<Incident>(`/api/incidents/${incident.id}`);
    if (['new', 'dispatched', 'on_scene'].includes(now.status))
      await api.post(`/api/incidents/${incident.id}/status`, { status: 'false_alarm' });
  });

  it('has ranger1 on patrol near the grid’s centre, reporting from the phone page', async () => {
    rangerId = (await (await apiSession('ranger1')).get<{ id: string }>('/api/rangers/me')).id;
    ranger = await browser.openSignedIn('ranger1', {
      landing: 'ranger-page',
      context: {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        geolocation: { latitude: centre[1], longitude: centre[0], accuracy: 8 },
        permissions: ['geolocation'],
      },
      initScript: () => localStorage.setItem('safeforest.ranger.intervalSeconds', '2'),
      expectedConsoleError: (text, p) => text.includes('status of 401') && new URL(p.url()).pathname === '/login',
    });
    const phone = ranger.page.getByTestId('ranger-page');
    await expect.poll(() => phone.getAttribute('data-patrol')).not.toBe('loading');
    if ((await phone.getAttribute('data-patrol')) === 'none') await ranger.page.getByTestId('patrol-start').click();
    await expect.poll(() => phone.getAttribute('data-patrol')).toBe('active');
    await expect.poll(() => ranger.page.getByTestId('last-sent').getAttribute('data-at'), { timeout: 30_000 }).not.toBe('');
  });

  it('shows a new incident on the duty officer’s map within seconds, flashing, with its card', async () => {
    duty = await browser.openSignedIn('duty');
    ({ page } = duty);
    await page.getByTestId('menu-command').click();
    await waitForMap(page);
    await duty.settled();

    // Someone walking near the grid reports smoke from the public page on their phone, without an account.
    const reporter = await browser.open({
      context: {
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
        geolocation: { latitude: point[1], longitude: point[0], accuracy: 10 },
        permissions: ['geolocation'],
      },
      expectedConsoleError: (text) => text.includes('status of 401'),
    });
    await reporter.page.goto(`${BASE_URL}/report`);
    await reporter.page.getByTestId('tipoff-form').waitFor();
    await reporter.page.getByTestId('tipoff-category-forest_fire').click();
    await reporter.page.getByTestId('tipoff-description').fill('玉兴街道后山看到浓烟，疑似林火');
    await reporter.page.getByTestId('tipoff-locate').click();
    await expect.poll(() => reporter.page.getByTestId('tipoff-point').textContent()).toContain(point[0].toFixed(4).slice(0, 6));
    await reporter.page.getByTestId('tipoff-place-text').fill('玉兴街道后山');
    await reporter.page.getByTestId('tipoff-anonymous').click();
    await reporter.page.getByTestId('tipoff-name').fill('张先生');
    await reporter.page.getByTestId('tipoff-phone').fill('13800001234');
    const reportedAt = Date.now();
    await reporter.page.getByTestId('tipoff-submit').click();
    await reporter.page.getByTestId('tipoff-done').waitFor();
    expect(await reporter.page.getByTestId('tipoff-code').getAttribute('data-code')).toMatch(/^[2-9A-Z]{10}$/);
    await reporter.context.close();

    const officer = await apiSession('duty');
    await expect
      .poll(
        async () => (await officer.get<{ items: Incident[] }>('/api/incidents?source=tipoff&status=new&pageSize=1')).items[0]?.placeText,
      )
      .toBe('玉兴街道后山');
    incident = (await officer.get<{ items: Incident[] }>('/api/incidents?source=tipoff&status=new&pageSize=1')).items[0];
    expect(incident).toMatchObject({ status: 'new', source: 'tipoff', countyCode: '530402' });

    const ours = page.locator(`[data-testid="incident-marker"][data-incident-id="${incident.id}"]`);
    await ours.waitFor({ state: 'visible', timeout: 10_000 });
    expect(Date.now() - reportedAt).toBeLessThan(10_000);
    expect(await ours.getAttribute('class')).toContain('is-new');
    expect(await ours.getAttribute('data-status')).toBe('new');
    // The map flew to it and opened its card; the layout's bar lists it and the alarm sounded.
    await expect.poll(() => page.getByTestId('incident-card').getAttribute('data-incident-id')).toBe(incident.id);
    await expect.poll(() => page.locator(`[data-testid="incident-notification"][data-incident-id="${incident.id}"]`).count()).toBe(1);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.alarmPlayedAt ?? '')).not.toBe('');
    await duty.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'incident-command-map.png') });
  });

  it('opens the incident’s page from the card: the code, status, place, caller and timeline', async () => {
    await page.getByTestId('incident-card-open').click();
    await page.getByTestId('incident-detail').waitFor();
    await expect.poll(() => page.getByTestId('incident-code').textContent()).toBe(incident.code);
    expect(incident.code).toMatch(/^JQ\d{8}-\d{4}$/);
    expect(await page.getByTestId('incident-status').getAttribute('data-status')).toBe('new');
    const facts = page.getByTestId('incident-facts');
    await expect.poll(() => facts.textContent()).toContain('玉兴街道后山');
    expect(await facts.textContent()).toContain('13800001234');
    expect(await facts.textContent()).toContain('红塔区');
    expect(await page.getByTestId('timeline-entry').first().getAttribute('data-kind')).toBe('opened');
    await page.locator('[data-testid="incident-point-map"] [data-testid="map"][data-ready="true"]').waitFor({ state: 'attached' });
    await duty.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'incident-detail-new.png'), fullPage: true });
  });

  it('dispatches the nearest ranger from the suggestions', async () => {
    const suggestion = page.locator(
      `[data-testid="incident-detail"] [data-testid="suggestion"][data-kind="ranger"][data-unit-id="${rangerId}"]`,
    );
    await suggestion.waitFor();
    // ranger1 is the nearest ranger: the first ranger suggested.
    expect(
      await page
        .locator('[data-testid="incident-detail"] [data-testid="suggestion"][data-kind="ranger"]')
        .first()
        .getAttribute('data-unit-id'),
    ).toBe(rangerId);
    expect(await suggestion.getByTestId('suggestion-distance').textContent()).toMatch(/^\d+ m$/);
    await page.locator('[data-testid="map-unit"]').first().waitFor();
    await suggestion.getByTestId('suggestion-pick').click();
    await duty.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'incident-dispatch-suggestions.png'), fullPage: true });
    await page.getByTestId('dispatch-submit').click();
    const assignment = page.locator(`[data-testid="assignment"][data-unit-id="${rangerId}"]`);
    await expect.poll(() => assignment.getAttribute('data-status')).toBe('assigned');
    await expect.poll(() => page.getByTestId('incident-status').getAttribute('data-status')).toBe('dispatched');
  });

  it('the ranger accepts on the phone page and walks onto the incident: arrival, on scene', async () => {
    const card = ranger.page.locator(`[data-testid="my-assignment"][data-incident-id="${incident.id}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.textContent()).toContain(incident.code);
    expect(await card.getByTestId('navigate').getAttribute('href')).toContain('uri.amap.com');
    await ranger.settled();
    await ranger.page.screenshot({ path: path.join(ARTIFACTS, 'ranger-assignment.png'), fullPage: true });
    await card.getByTestId('my-assignment-accepted').click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('accepted');
    // The officer sees it live.
    await expect
      .poll(() => page.locator(`[data-testid="assignment"][data-unit-id="${rangerId}"]`).getAttribute('data-status'))
      .toBe('accepted');

    // The ranger walks to the incident: a fix within 200 m is arrival.
    await ranger.context.setGeolocation({ latitude: point[1], longitude: point[0], accuracy: 8 });
    await expect
      .poll(() => page.locator(`[data-testid="assignment"][data-unit-id="${rangerId}"]`).getAttribute('data-status'), { timeout: 40_000 })
      .toBe('on_scene');
    await expect.poll(() => page.getByTestId('incident-status').getAttribute('data-status')).toBe('on_scene');
    await expect.poll(() => page.getByTestId('response-time').textContent()).not.toBe('—');
    await expect.poll(() => card.getAttribute('data-status')).toBe('on_scene');
    await ranger.settled();
    await ranger.page.screenshot({ path: path.join(ARTIFACTS, 'ranger-assignment-on-scene.png'), fullPage: true });
    expect(ranger.errors).toEqual([]);
  });

  it('adds a note to the timeline', async () => {
    await page.getByTestId('note-input').fill('已电话联系报警人，确认烟点位置');
    await page.getByTestId('note-add').click();
    await expect.poll(() => page.getByTestId('timeline-entry').last().getAttribute('data-kind')).toBe('note');
    expect(await page.getByTestId('timeline-entry').last().textContent()).toContain('已电话联系报警人');
  });

  it('resolves the incident', async () => {
    await page.getByTestId('status-action-resolved').click();
    await confirmDialog().locator('input').fill('明火已扑灭');
    await confirmDialog().locator('.el-button--primary').click();
    await expect.poll(() => page.getByTestId('incident-status').getAttribute('data-status')).toBe('resolved');
    await expect.poll(() => page.getByTestId('timeline-entry').last().textContent()).toContain('明火已扑灭');
    expect(await page.getByTestId('status-action-closed').count()).toBe(1);
    await duty.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'incident-detail-resolved.png'), fullPage: true });
  });

  it('lists it, and offers the call form with the category dictionary in Chinese', async () => {
    await page.getByTestId('menu-incidents').click();
    const row = page.getByTestId('incident-table').locator('tr', { hasText: incident.code });
    await row.waitFor();
    expect(await row.getByTestId('incident-row-status').getAttribute('data-status')).toBe('resolved');
    expect(await row.textContent()).toContain('森林火灾');
    await duty.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'incident-list.png') });

    await page.getByTestId('call-open').click();
    await page.getByTestId('call-form').waitFor();
    await page.locator('[data-testid="map-picker"][data-centred="true"]').waitFor();
    await page.getByTestId('call-submit').click();
    // Nothing is sent without a category, a title and a place.
    await expect.poll(() => page.getByTestId('call-form').locator('.el-form-item__error').count()).toBeGreaterThanOrEqual(3);
    await page.getByTestId('call-category').click();
    const options = page.locator('.el-select-dropdown__item:visible');
    await expect.poll(() => options.count()).toBeGreaterThanOrEqual(8);
    expect(await options.allTextContents()).toContain('盗伐滥伐林木');
    await options.filter({ hasText: '盗伐滥伐林木' }).click();
    await duty.settled();
    await page.screenshot({ path: path.join(ARTIFACTS, 'incident-call-form.png') });
    expect(duty.errors).toEqual([]);
    expect(duty.foreignRequests).toEqual([]);
  });
});
