/** The header's language switch turns the whole UI, Element Plus included, to English and back. */
import { describe, expect, it } from 'vitest';
import { useBrowser } from './helpers';

describe('the language switch', () => {
  const browser = useBrowser();

  it('switches to English, survives a reload, and switches back to Chinese', async () => {
    const w = await browser.openSignedIn('city');
    const { page } = w;
    await page.getByTestId('menu-sites').click();
    await page.getByTestId('site-table').waitFor();
    const menu = page.getByTestId('side-menu');
    expect(await menu.textContent()).toContain('防控站点');
    expect(await page.locator('.el-pagination__total').textContent()).toContain('共');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');

    await page.getByTestId('locale-en').click();
    await expect.poll(() => menu.textContent()).toContain('Sites');
    expect(await menu.textContent()).toContain('Overview');
    expect(await menu.textContent()).not.toContain('防控站点');
    expect(await page.locator('.sf-page-title').first().textContent()).toBe('Sites');
    expect(await page.getByTestId('site-create').textContent()).toContain('New site');
    // Element Plus follows: the pagination speaks English.
    await expect.poll(() => page.locator('.el-pagination__total').textContent()).toContain('Total');
    expect(await page.locator('html').getAttribute('lang')).toBe('en-US');
    expect(await page.title()).toContain('SafeForest');

    await page.reload();
    await page.getByTestId('site-table').waitFor();
    expect(await menu.textContent()).toContain('Sites');

    await page.getByTestId('locale-zh').click();
    await expect.poll(() => menu.textContent()).toContain('防控站点');
    expect(await menu.textContent()).toContain('总览');
    await expect.poll(() => page.locator('.el-pagination__total').textContent()).toContain('共');
    expect(await page.title()).toContain('平安林区综合防控平台');
    expect(w.errors).toEqual([]);
  });
});
