import { api, type Schemas, unwrap } from './client';

export type IndicatorValue = Schemas['IndicatorValue'];
export type IndicatorDefinition = Schemas['IndicatorDefinition'];

/** Every indicator of a unit (by code) for a year, or one month of it. */
export const listIndicatorValues = (unit: string, year: number, month?: number) =>
  unwrap(api.GET('/api/assessment/indicators', { params: { query: { unit, year, month } } }));

export const listIndicatorDefinitions = () => unwrap(api.GET('/api/assessment/indicator-definitions'));
