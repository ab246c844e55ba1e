import { z } from 'zod';
import { yearInRange } from '../../platform/dates.js';

export const INDICATOR_UNITS = ['ratio', 'km', 'hours', 'minutes', 'count', 'percent', 'yes_no'] as const;

export const IndicatorValuesQuery = z.object({
  unit: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[0-9A-Za-z-]+$/, 'an org unit code: letters, digits and -')
    .describe('the org unit’s code (e.g. 530402 for 红塔区); it and its subtree are counted'),
  year: z.coerce
    .number({ error: 'expected a year YYYY' })
    .int('expected a year YYYY')
    .refine(yearInRange, 'the year is outside 1900–2200')
    .describe('the calendar year (China Standard Time)'),
  month: z.coerce.number().int().min(1).max(12).optional().describe('one month (1–12) of the year instead of the whole year'),
});
export type IndicatorValuesQuery = z.infer<typeof IndicatorValuesQuery>;

const IndicatorFields = {
  key: z.string().describe('stable snake_case key that standards refer to'),
  name: z.string().describe('Chinese name'),
  nameEn: z.string(),
  unit: z.enum(INDICATOR_UNITS).describe('ratio 0..1, km, hours, minutes, count, percent, yes_no (1 or 0)'),
  definition: z.string().describe('how it is computed, in Chinese'),
  definitionEn: z.string(),
  module: z.string().describe('the module contributing it'),
  higherIsBetter: z.boolean(),
};

export const IndicatorDefinition = z.object(IndicatorFields).meta({ id: 'IndicatorDefinition' });
export const IndicatorDefinitionList = z.object({ items: z.array(IndicatorDefinition) }).meta({ id: 'IndicatorDefinitionList' });

export const IndicatorLink = z
  .object({ path: z.string().describe('a web route'), query: z.record(z.string(), z.string()) })
  .meta({ id: 'IndicatorLink' });

export const IndicatorValue = z
  .object({
    ...IndicatorFields,
    value: z.number().nullable().describe('null when nothing could be counted'),
    basis: z.object({
      records: z.number().int().describe('how many records the value was computed from'),
      link: IndicatorLink.optional().describe('the list page showing those records'),
    }),
  })
  .meta({ id: 'IndicatorValue' });
export type IndicatorValue = z.infer<typeof IndicatorValue>;

export const IndicatorValueList = z
  .object({
    orgUnit: z.object({ id: z.number().int(), code: z.string().nullable(), name: z.string(), kind: z.string() }),
    period: z.object({ year: z.number().int(), month: z.number().int().optional(), from: z.date(), to: z.date() }),
    items: z.array(IndicatorValue),
  })
  .meta({ id: 'IndicatorValueList' });
