/**
 * Signing out, from the desktop header and from the ranger's phone page: the sign-in page opens
 * and the session is ended on the server, so the cookie the page held opens nothing any more.
 */
import { describe, expect, it } from 'vitest';
import { BASE_URL, useBrowser } from './helpers';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe('signing out', () => {
  const browser = useBrowser();

  for (const { username, menu, landing, context } of [
    { username: 'hongta', menu: 'user-menu', landing: 'side-menu', context: undefined },
    { username: 'ranger1', menu: 'ranger-menu', landing: 'ranger-page', context: PHONE },
  ]) {
    it(`ends ${username}'s session from the ${menu}`, async () => {
      const w = await browser.openSignedIn(username, { landing, context });
      const cookie = (await w.context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      const sessionOf = async () => (await (await fetch(`${BASE_URL}/api/auth/session`, { headers: { cookie } })).json()).signedIn;
      expect(await sessionOf()).toBe(true);

      await w.page.getByTestId(menu).click();
      await w.page.getByTestId('sign-out').click();
      await w.page.getByTestId('login-username').waitFor({ state: 'visible' });
      expect(new URL(w.page.url()).pathname).toBe('/login');
      expect(await sessionOf()).toBe(false);
      expect(w.errors).toEqual([]);
    });
  }
});
