/** What the capture search declares: the filter model and its API query, tag colours. */
import type { CaptureFilter, Direction, PlateColor } from '@/api/captures';

export interface CaptureFilterState {
  plate: string;
  prefix: boolean;
  range: [Date, Date] | null;
  plateColor: PlateColor | undefined;
  vehicleType: string;
  direction: Direction | undefined;
}

export const emptyFilter = (): CaptureFilterState => ({
  plate: '',
  prefix: false,
  range: null,
  plateColor: undefined,
  vehicleType: '',
  direction: undefined,
});

export function toApiFilter(f: CaptureFilterState): CaptureFilter {
  return {
    plate: f.plate.trim() || undefined,
    match: f.prefix ? 'prefix' : 'exact',
    from: f.range?.[0].toISOString(),
    to: f.range?.[1].toISOString(),
    plateColor: f.plateColor,
    vehicleType: f.vehicleType.trim() || undefined,
    direction: f.direction,
  };
}

/** How a plate colour looks in the table: the plate's own colour. */
export const PLATE_STYLE: Record<PlateColor, { background: string; color: string }> = {
  blue: { background: '#1d4ed8', color: '#fff' },
  yellow: { background: '#facc15', color: '#111' },
  green: { background: '#86efac', color: '#111' },
  white: { background: '#fff', color: '#111' },
  black: { background: '#111', color: '#fff' },
};
