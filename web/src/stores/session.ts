import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { signIn as apiSignIn, signOut as apiSignOut, fetchSession, type Me, type SignInInput } from '@/api/auth';
import { closeLive } from '@/api/live';
import { useOrgStore } from './org';

/** The signed-in user, their org unit and permission codes. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null);
  /** True once we asked the server who we are (signed in or not). */
  const checked = ref(false);

  const permissions = computed(() => new Set(me.value?.permissions ?? []));
  const signedIn = computed(() => me.value !== null);

  /** Whether the user holds a permission; `*` (the administrator) holds them all. */
  function can(code: string | undefined): boolean {
    if (!code) return true;
    return permissions.value.has('*') || permissions.value.has(code);
  }

  /**
   * Asks the server for the current session. `/api/auth/session` answers "not signed in" with a
   * 200 (not the 401 of `/api/auth/me`), so the sign-in page loads without a console error.
   */
  async function load() {
    try {
      me.value = (await fetchSession()).me;
    } finally {
      checked.value = true;
    }
    return me.value;
  }

  async function signIn(input: SignInInput) {
    await apiSignIn(input);
    useOrgStore().reset();
    return load();
  }

  async function signOut() {
    try {
      await apiSignOut();
    } finally {
      forget();
    }
  }

  /** Drops the session on the client (after sign-out or when the server says 401). */
  function forget() {
    me.value = null;
    closeLive();
    useOrgStore().reset();
  }

  return { me, checked, permissions, signedIn, can, load, signIn, signOut, forget };
});
