/** A duty officer reads the site register but has no create, edit, delete or import buttons. */
import { describe, expect, it } from 'vitest';
import { apiAs, useBrowser } from './helpers';

describe('a duty officer without sites:write', () => {
  const browser = useBrowser();

  it('sees the register without any button that changes it', async () => {
    const api = await apiAs('duty');
    const me = await api<{ permissions: string[] }>('/api/auth/me');
    expect(me.permissions).toContain('sites:read');
    expect(me.permissions).not.toContain('sites:write');
    expect(me.permissions).not.toContain('*');
    const { total } = await api<{ total: number }>('/api/sites?pageSize=1');

    const w = await browser.openSignedIn('duty');
    const { page } = w;
    await page.getByTestId('menu-sites').click();
    await page.getByTestId('site-table').waitFor();
    await page.getByTestId('site-export').waitFor(); // the page has rendered its toolbar
    await expect.poll(() => page.locator('.el-pagination__total').textContent()).toContain(String(total));

    for (const id of ['site-create', 'site-import-open', 'row-edit', 'row-delete']) {
      expect(await page.getByTestId(id).count(), `${id} is hidden`).toBe(0);
    }
    if (total > 0) {
      await page.locator('[data-testid="site-table"] .el-table__body tr').first().click();
      await page.getByTestId('site-detail').locator('.el-descriptions').waitFor();
      expect(await page.getByTestId('site-edit').count()).toBe(0);
      expect(await page.getByTestId('site-delete').count()).toBe(0);
    }
    // The audit log is not in the menu either (no audit:read).
    expect(await page.getByTestId('menu-audit').count()).toBe(0);
    expect(w.errors).toEqual([]);
  });
});
