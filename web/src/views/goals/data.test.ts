import { describe, expect, it } from 'vitest';
import { formatFigure, goalStatus, targetText } from './data';

const unitLabel = (unit: string) => ({ yes: '是', no: '否', km: '公里' })[unit] ?? unit;

describe('how the goals page words a figure', () => {
  it('tells no data source, not entered, not judgeable, met and not met apart', () => {
    expect(goalStatus({ available: false, value: null, met: null })).toBe('noSource');
    expect(goalStatus({ available: true, value: null, met: null, method: 'entered' })).toBe('notEntered');
    expect(goalStatus({ available: true, value: null, met: null, method: 'indicator' })).toBe('noData');
    expect(goalStatus({ available: true, value: 3, met: null })).toBe('unjudged');
    expect(goalStatus({ available: true, value: 0, met: true })).toBe('met');
    expect(goalStatus({ available: true, value: 2, met: false })).toBe('unmet');
  });

  it('writes a ratio as a percentage, a count whole, an entered figure with its unit', () => {
    expect(formatFigure(0.925, 'ratio', unitLabel)).toBe('92.5%');
    expect(formatFigure(3, 'count', unitLabel)).toBe('3');
    expect(formatFigure(47_300, '公顷', unitLabel)).toBe('47,300 公顷');
    expect(formatFigure(12.5, 'km', unitLabel)).toBe('12.5 公里');
    expect(formatFigure(null, '公顷', unitLabel)).toBe('—');
  });

  it('words the target', () => {
    const op = (o: string) => ({ grow: '高于上年' })[o] ?? o;
    expect(targetText('eq', 0, 'count', op, unitLabel)).toBe('= 0');
    expect(targetText('gte', 0.9, 'ratio', op, unitLabel)).toBe('≥ 90%');
    expect(targetText('grow', null, '公顷', op, unitLabel)).toBe('高于上年');
  });
});
