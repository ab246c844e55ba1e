import { onBeforeUnmount, ref } from 'vue';

/** How the signed-in layout arranges the menu for the window's width. */
export type LayoutMode = 'phone' | 'tablet' | 'desktop';

/** Below this width the menu is a drawer behind a button (phones). */
export const PHONE_MAX = 767;
/** Below this width the menu starts collapsed to its icons (tablets, small laptops). */
export const TABLET_MAX = 1199;

export function layoutModeOf(width: number): LayoutMode {
  if (width <= PHONE_MAX) return 'phone';
  if (width <= TABLET_MAX) return 'tablet';
  return 'desktop';
}

type Padding = { top: number; bottom: number; left: number; right: number };

/**
 * Padding for fitting a map view: clear of the panels laid over a wide map, and small on a phone,
 * where those panels fold away (a padding wider than the map would make the fit impossible).
 */
export function mapPadding(map: { getContainer(): HTMLElement }, wide: Padding): Padding | number {
  return map.getContainer().clientWidth <= PHONE_MAX ? 24 : wide;
}

/** The layout mode of the window, kept current as it is resized or turned. */
export function useLayoutMode() {
  const phone = window.matchMedia(`(max-width: ${PHONE_MAX}px)`);
  const tablet = window.matchMedia(`(max-width: ${TABLET_MAX}px)`);
  const read = (): LayoutMode => (phone.matches ? 'phone' : tablet.matches ? 'tablet' : 'desktop');
  const mode = ref<LayoutMode>(read());
  const update = () => {
    mode.value = read();
  };
  phone.addEventListener('change', update);
  tablet.addEventListener('change', update);
  onBeforeUnmount(() => {
    phone.removeEventListener('change', update);
    tablet.removeEventListener('change', update);
  });
  return mode;
}
