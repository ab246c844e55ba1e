import type { CreateTipoffInput, PublicStatusCode, TipoffCategory, TipoffQuery } from '@/api/tipoffs';

/** The public form as the page holds it; `toCreateInput` turns it into the request body. */
export interface TipoffFormState {
  category: TipoffCategory | '';
  description: string;
  point: [number, number] | null;
  placeText: string;
  anonymous: boolean;
  name: string;
  phone: string;
}

export const emptyForm = (): TipoffFormState => ({
  category: '',
  description: '',
  point: null,
  placeText: '',
  anonymous: true,
  name: '',
  phone: '',
});

const optional = (text: string) => text.trim() || undefined;

/** The body of `POST /api/public/tipoffs`; an anonymous report sends neither name nor phone. */
export function toCreateInput(form: TipoffFormState): CreateTipoffInput {
  if (!form.category || !form.point) throw new Error('category and place are checked before sending');
  return {
    category: form.category,
    description: form.description.trim(),
    location: { type: 'Point', coordinates: form.point },
    placeText: optional(form.placeText),
    name: form.anonymous ? undefined : optional(form.name),
    phone: form.anonymous ? undefined : optional(form.phone),
  };
}

/** The step of the progress bar each public status reaches, and its tag colour. */
export const STATUS_STEP: Record<PublicStatusCode, number> = { received: 0, in_progress: 1, resolved: 2, closed: 2 };
export const STATUS_TAG: Record<PublicStatusCode, 'info' | 'warning' | 'success'> = {
  received: 'info',
  in_progress: 'warning',
  resolved: 'success',
  closed: 'success',
};

/** A code shown in two groups of five, easier to read out. */
export const groupCode = (code: string) => code.replace(/(.{5})(?=.)/g, '$1 ');

/** Tracking codes are read aloud and typed on phones: spaces and dashes are left out, letters made capital. */
export const normaliseCode = (text: string) => text.replace(/[\s-]/g, '').toUpperCase();

/** The officers' list filter. */
export interface TipoffFilterState {
  category: TipoffCategory[];
  trackingCode: string;
  range: [Date, Date] | null;
}

export const emptyFilter = (): TipoffFilterState => ({ category: [], trackingCode: '', range: null });

export function toApiFilter(filter: TipoffFilterState): Omit<TipoffQuery, 'page' | 'pageSize'> {
  return {
    category: filter.category.length ? filter.category : undefined,
    trackingCode: normaliseCode(filter.trackingCode) || undefined,
    from: filter.range?.[0].toISOString(),
    to: filter.range?.[1].toISOString(),
  };
}
