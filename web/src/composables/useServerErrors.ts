import { ElMessage } from 'element-plus';
import { reactive } from 'vue';
import { ApiError, errorMessage } from '@/api/client';
import { i18n } from '@/i18n';

/** The seconds a throttled answer (429 `too_many_attempts`) asks the client to wait, else null. */
export function retryAfterSeconds(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== 'too_many_attempts') return null;
  const seconds = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return typeof seconds === 'number' ? seconds : null;
}

/**
 * The message to show for an error: a translation of its code when we have one
 * (`common.errors.too_many_attempts`), else the server's own message.
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const key = `common.errors.${error.code}`;
    if (i18n.global.te(key)) return i18n.global.t(key, { message: error.message, seconds: retryAfterSeconds(error) ?? '' });
  }
  return errorMessage(error);
}

/**
 * Server-side field errors for an Element Plus form: bind `:error="fieldErrors.name"` on each
 * `el-form-item`. `capture` spreads a 400's details over the fields (`body.location` → `location`)
 * and shows the remaining message as a toast.
 */
export function useServerErrors<F extends string>() {
  const fieldErrors = reactive<Partial<Record<F, string>>>({}) as Partial<Record<F, string>>;

  function clear() {
    for (const key of Object.keys(fieldErrors)) delete fieldErrors[key as F];
  }

  /**
   * Returns true when at least one problem was placed next to a field. The server words field
   * problems in English; `translate` may turn the ones a form knows into the UI language.
   */
  function capture(error: unknown, knownFields: readonly F[], translate: (field: F, message: string) => string = (_f, m) => m): boolean {
    clear();
    let placed = false;
    if (error instanceof ApiError) {
      const byField = error.fieldErrors();
      for (const [field, message] of Object.entries(byField)) {
        if ((knownFields as readonly string[]).includes(field)) {
          fieldErrors[field as F] = translate(field as F, message);
          placed = true;
        }
      }
    }
    ElMessage.error(placed ? i18n.global.t('common.errors.checkFields') : describeError(error));
    return placed;
  }

  return { fieldErrors, clear, capture };
}
