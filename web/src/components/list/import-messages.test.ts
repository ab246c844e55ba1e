import { describe, expect, it } from 'vitest';
import enCommon from '@/i18n/en-US/common.json';
import zhCommon from '@/i18n/zh-CN/common.json';
import { importMessage } from './import-messages';

/** `t` over one locale's common messages, failing on a key it does not hold. */
function translator(common: Record<string, unknown>) {
  return (key: string, params: Record<string, string>) => {
    const value = key
      .split('.')
      .slice(1)
      .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), common);
    if (typeof value !== 'string') throw new Error(`no message ${key}`);
    return value.replace(/\{(\w+)\}/g, (_, name: string) => params[name]);
  };
}

const zh = translator(zhCommon);
const en = translator(enCommon);

describe('import messages in the UI language', () => {
  it('says the sentences the server writes for a failed import and its rows in Chinese, with their parts', () => {
    expect(importMessage('The file is not an Excel workbook (.xlsx)', zh)).toBe('文件不是 Excel 工作簿（.xlsx）');
    expect(importMessage('12 problems in 5 rows; nothing was imported', zh)).toBe('5 行共 12 个问题，未导入任何数据');
    expect(importMessage('the same id as row 9', zh)).toBe('与第 9 行的国标编码重复');
    expect(importMessage('no org unit 530403 in your area', zh)).toBe('辖区内没有编码为 530403 的单位');
    expect(importMessage('the location lies outside the area of 研和街道', zh)).toBe('位置不在研和街道的辖区内');
    expect(importMessage('Invalid option: expected one of "key_forest_area"|"reserve"', zh)).toBe('不是可选的值');
    expect(importMessage('Too big: expected string to have <=100 characters', zh)).toBe('不超过 100 个字符');
    expect(importMessage('Invalid input: expected number, received NaN', zh)).toBe('应为数字');
    expect(importMessage('digits 11–13 (140) are no camera device type (111–130 front-end devices, 131 camera, 132 IP camera)', zh)).toBe(
      '第 11–13 位（140）不是摄像机设备类型（111–130 前端设备，131 摄像机，132 网络摄像机）',
    );
  });

  it('has every sentence in both languages, and shows one it does not know as written', () => {
    const samples = [
      'Columns missing from the first row',
      'The sheet has no rows',
      'At most 5000 rows per import',
      '3 cameras imported',
      'column missing',
      'the location lies outside your area',
      'another camera is registered with this id',
      'no site 九龙池景区 in your area',
      '2 sites are named 检查站: leave the cell empty and link the site in the form',
      'a number cell: format the column as text and type the 20 digits again',
      'a GB/T 28181 id is 20 digits',
      'the first two digits (99) are no province of an administrative division code',
      'the first six digits (530002) are no administrative division code',
      'Invalid input: expected string, received undefined',
      'Too small: expected number to be >=-90',
      'Too big: expected number to be <=180',
      'Invalid URL',
      'a URL (http: or https:)',
      'text must not contain U+0000 or unpaired UTF-16 surrogates',
      'no such date: 2026-02-30',
      'no such time of day: 25:00',
      'year 20260 is outside 1900–2200',
      'not a UTC offset: +25:00',
      'expected a date-time such as 2026-03-01T08:30:00+08:00',
      'the end of the active period is before its start',
      'digits, spaces and + - ( ) only',
      'a timber checkpoint has grade 1 or 2',
      'only timber checkpoints have a grade',
      'a mobile checkpoint needs the start of its active period',
    ];
    for (const message of samples) {
      expect(importMessage(message, zh), message).not.toBe(message);
      expect(importMessage(message, zh), message).toMatch(/[\u4e00-\u9fff]/u);
      expect(() => importMessage(message, en)).not.toThrow();
    }
    expect(importMessage('a sentence the dialog has never seen', zh)).toBe('a sentence the dialog has never seen');
  });
});
