/**
 * Failed sign-ins make the sign-in page wait (in Chinese and in English) instead of locking the
 * account, and the password dialog says why the server refused a new password.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, DEMO_PASSWORD, useBrowser, type WatchedPage } from './helpers';

const failSignIn = (username: string) =>
  fetch(`${BASE_URL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'not-the-password' }),
  });

describe('throttled sign-in and the password policy in the browser', () => {
  const browser = useBrowser();
  let w: WatchedPage;

  beforeAll(async () => {
    w = await browser.open();
  });

  it('tells how many seconds to wait, in Chinese and in English, and keeps the button off meanwhile', async () => {
    const { page } = w;
    // Five failures of one username from this address start a 15 s wait.
    for (let i = 0; i < 5; i++) expect((await failSignIn('xinping')).status).toBe(401);
    await page.goto(`${BASE_URL}/login`);
    await page.getByTestId('login-username').fill('xinping');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await expect.poll(() => error.textContent()).toMatch(/尝试过于频繁，请 1[0-5] 秒后再试/);
    expect(await page.getByTestId('login-submit').isDisabled()).toBe(true);

    await page.getByTestId('login-locale').click();
    await expect.poll(() => error.textContent()).toMatch(/Too many attempts; please try again in 1?\d seconds/);
    await page.getByTestId('login-locale').click();
    expect(w.errors.filter((e) => e.startsWith('page:'))).toEqual([]);
  });

  it('shows why a new password is refused next to the field', async () => {
    const { page } = w;
    await browser.signIn(w, 'yuanjiang');
    await page.getByTestId('user-menu').click();
    await page.getByText('修改密码').click();
    await page.getByTestId('password-current').fill(DEMO_PASSWORD);
    const reason = () =>
      page
        .getByTestId('password-new-item')
        .locator('.el-form-item__error')
        .textContent({ timeout: 1000 })
        .catch(() => '');
    const tryPassword = async (candidate: string) => {
      await page.getByTestId('password-new').fill(candidate);
      await page.getByTestId('password-confirm').fill(candidate);
      await page.getByTestId('password-save').click();
    };
    await tryPassword('password123');
    await expect.poll(reason).toContain('这是最常见的密码之一');
    await tryPassword('12345678');
    await expect.poll(reason).toContain('密码至少 10 位');
    expect(w.errors.filter((e) => e.startsWith('page:'))).toEqual([]);
  });
});
