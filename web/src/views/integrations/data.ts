/** The translation key of a notification event: `plan.activated` → `plan_activated` (a dot would nest the key). */
export const eventKey = (event: string) => event.replaceAll('.', '_');
