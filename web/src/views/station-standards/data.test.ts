import { describe, expect, it } from 'vitest';
import type { StationRating } from '@/api/station-standards';
import { emptyFilter, ratingActions, reviewDraftOf, toApiFilter } from './data';

const rating = (status: StationRating['status'], orgUnitId = 30) =>
  ({
    status,
    station: { orgUnitId },
    items: [
      { item: { code: '1.1' }, selfResult: 'pass', reviewResult: null, reviewComment: null },
      { item: { code: '1.2' }, selfResult: 'fail', reviewResult: 'pass', reviewComment: '已整改' },
    ],
  }) as unknown as StationRating;

describe('what an account may do with a station’s rating', () => {
  const station = (code: string) => ['station_standards:read', 'station_standards:rate'].includes(code);
  const county = (code: string) => code.startsWith('station_standards:') && code !== 'station_standards:manage';

  it('the station rates while it is not submitted, and never reviews itself', () => {
    expect(ratingActions(rating('draft'), station, 30)).toEqual({ rate: true, review: false, reopen: false });
    expect(ratingActions(rating('returned'), station, 30)).toEqual({ rate: true, review: false, reopen: false });
    expect(ratingActions(rating('submitted'), station, 30)).toEqual({ rate: false, review: false, reopen: false });
    expect(ratingActions(rating('submitted'), county, 30)).toEqual({ rate: false, review: false, reopen: false });
  });

  it('the county reviews a submitted rating of a station below it, and once confirmed may only take the level back', () => {
    expect(ratingActions(rating('submitted'), county, 2)).toEqual({ rate: false, review: true, reopen: false });
    expect(ratingActions(rating('confirmed'), county, 2)).toEqual({ rate: false, review: false, reopen: true });
    expect(ratingActions(rating('confirmed'), station, 30)).toEqual({ rate: false, review: false, reopen: false });
  });
});

describe('the review draft and the list query', () => {
  it('starts the review from the station’s own results, keeping what the county decided', () => {
    expect(reviewDraftOf(rating('submitted'))).toEqual({
      '1.1': { result: 'pass', comment: '' },
      '1.2': { result: 'pass', comment: '已整改' },
    });
  });

  it('sends only the filters set', () => {
    expect(toApiFilter(emptyFilter(), 2025, 1, 20)).toEqual({ year: 2025, page: 1, pageSize: 20 });
    expect(toApiFilter({ orgUnitId: 3, level: ['standard', 'none'], status: [], q: ' 洛河 ' }, 2025, 2, 20)).toEqual({
      year: 2025,
      page: 2,
      pageSize: 20,
      orgUnitId: 3,
      level: 'standard,none',
      q: '洛河',
    });
  });
});
