import { ref } from 'vue';
import type { SendOutcome } from '@/api/notifications';
import { describeError } from '@/composables/useServerErrors';

/**
 * A "send test" button's state, the same for every channel: busy while it sends, then the
 * outcome the server reports (delivered or not, the receiver's answer) or why the request failed.
 */
export function useTestSend() {
  const testing = ref(false);
  const outcome = ref<SendOutcome | null>(null);
  const outcomeError = ref<string | null>(null);

  async function send(request: () => Promise<SendOutcome>) {
    testing.value = true;
    outcome.value = null;
    outcomeError.value = null;
    try {
      outcome.value = await request();
    } catch (e) {
      outcomeError.value = describeError(e);
    } finally {
      testing.value = false;
    }
  }

  return { testing, outcome, outcomeError, send };
}
