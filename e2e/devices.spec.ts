/**
 * A county office registers a ranger's new phone: the generated key is shown once, the phone
 * reports only with it, and the device is handed over to another ranger later.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { apiAs, sendOsmAnd, useBrowser, type WatchedPage } from './helpers';

type Device = { id: string; uniqueId: string; rangerName: string | null; hasKey: boolean };

/**
 * Picks a ranger in the open dialog's ranger select by typing part of the name. The list is
 * searched on the server and re-rendered when the answer comes, so the pick is checked and,
 * if a re-render swallowed the click, made again.
 */
async function pickRanger(page: Page, dialog: ReturnType<Page['locator']>, name: string) {
  const select = dialog.locator('.sf-ranger-select');
  for (let attempt = 0; attempt < 3; attempt++) {
    await select.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(name);
    await page.waitForLoadState('networkidle');
    await page.locator('.el-select-dropdown__item:visible', { hasText: name }).first().click();
    const picked = await expect
      .poll(() => select.textContent(), { timeout: 3_000 })
      .toContain(name)
      .then(() => true)
      .catch(() => false);
    if (picked) return;
  }
  throw new Error(`could not pick ${name}`);
}

describe('the device register', () => {
  const browser = useBrowser();
  let w: WatchedPage;
  const uniqueId = `E2E-${Date.now().toString(36)}`;

  it('registers a phone with a key shown once, and hands it over', async () => {
    w = await browser.openSignedIn('hongta');
    const { page } = w;
    await page.getByTestId('menu-devices').click();
    await page.getByTestId('device-table').waitFor();

    await page.getByTestId('device-create').click();
    const form = page.locator('.el-dialog', { has: page.getByTestId('device-unique-id') });
    await form.waitFor();
    await page.getByTestId('device-unique-id').fill(uniqueId);
    await page.getByTestId('device-name').fill('E2E 测试手机');
    await pickRanger(page, form, '王玉珍');
    await page.getByTestId('device-save').click();

    const created = page.locator('.el-dialog', { has: page.getByTestId('device-created-close') });
    await created.waitFor();
    const key = ((await page.getByTestId('device-key').textContent()) ?? '').trim();
    expect(key.length).toBeGreaterThanOrEqual(8);
    expect(await created.textContent()).toContain('王玉珍');

    // The phone reports with its key; without it the server refuses the fix (as it refuses an unknown device).
    const at = { lon: 102.54, lat: 24.4, at: new Date() };
    await expect(sendOsmAnd(uniqueId, at)).rejects.toThrow(/400/);
    expect((await sendOsmAnd(uniqueId, at, { key })).stored).toBe(1);

    // Once closed, the key is gone from the page.
    await page.getByTestId('device-created-close').click();
    await created.waitFor({ state: 'hidden' });
    expect(await page.getByTestId('device-key').count()).toBe(0);

    await page.getByTestId('device-filter-q').fill(uniqueId);
    await page.getByTestId('device-filter-q').press('Enter');
    const row = page.locator('[data-testid="device-table"] .el-table__body tr', { hasText: uniqueId });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('device-row-ranger').textContent()).toBe('王玉珍');
    expect((await row.getByTestId('device-row-key').textContent())?.trim()).toBe('有密钥');
    // The office sees its county's key requirement and may switch it.
    await page.getByTestId('key-policy-switch').waitFor();

    await row.getByTestId('device-hand-over-open').click();
    const handOver = page.locator('.el-dialog', { has: page.getByTestId('hand-over-save') });
    await handOver.waitFor();
    await expect.poll(() => handOver.locator('.el-table__body tr').count()).toBe(1);
    await pickRanger(page, handOver, '李建华');
    await page.getByTestId('hand-over-save').click();
    await handOver.waitFor({ state: 'hidden' });
    await expect.poll(() => row.getByTestId('device-row-ranger').textContent()).toBe('李建华');

    const api = await apiAs('hongta');
    const { items } = await api<{ items: Device[] }>(`/api/devices?q=${uniqueId}`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ uniqueId, rangerName: '李建华', hasKey: true });
    const bindings = await api<{ items: { rangerName: string; validTo: string | null }[] }>(`/api/devices/${items[0].id}/bindings`);
    expect(bindings.items.map((b) => b.rangerName)).toEqual(['李建华', '王玉珍']);
    expect(bindings.items[0].validTo).toBeNull();
    expect(w.errors).toEqual([]);
  });
});
