import { ElMessage } from 'element-plus';
import { useRouter } from 'vue-router';
import { useSessionStore } from '@/stores/session';
import { describeError } from './useServerErrors';

/**
 * Signing out, from the desktop header or the ranger's phone page alike: the server ends the
 * session, a failure is shown, and the sign-in page opens either way.
 */
export function useSignOut() {
  const session = useSessionStore();
  const router = useRouter();
  return async function signOut() {
    try {
      await session.signOut();
    } catch (error) {
      ElMessage.error(describeError(error));
    }
    await router.push({ name: 'login' });
  };
}
