/**
 * The fixed facts of the default territory: names and codes of 玉溪市 and its counties
 * (GB/T 2260), the special units that hang under counties, and the departments every level has.
 * Boundaries and township codes come from npm packages (see territory.ts); what is here is what
 * those packages lack.
 */

export const CITY = { code: '530400', name: '玉溪市', shortName: '玉溪市', nameEn: 'Yuxi City' } as const;

export type CountyFact = { code: string; name: string; shortName: string; nameEn: string };

/** The 9 county-level divisions, in code order. 澄江 became a county-level city (530481) in 2019. */
export const COUNTIES: CountyFact[] = [
  { code: '530402', name: '红塔区', shortName: '红塔区', nameEn: 'Hongta District' },
  { code: '530403', name: '江川区', shortName: '江川区', nameEn: 'Jiangchuan District' },
  { code: '530423', name: '通海县', shortName: '通海县', nameEn: 'Tonghai County' },
  { code: '530424', name: '华宁县', shortName: '华宁县', nameEn: 'Huaning County' },
  { code: '530425', name: '易门县', shortName: '易门县', nameEn: 'Yimen County' },
  { code: '530426', name: '峨山彝族自治县', shortName: '峨山县', nameEn: 'Eshan Yi Autonomous County' },
  {
    code: '530427',
    name: '新平彝族傣族自治县',
    shortName: '新平县',
    nameEn: 'Xinping Yi and Dai Autonomous County',
  },
  {
    code: '530428',
    name: '元江哈尼族彝族傣族自治县',
    shortName: '元江县',
    nameEn: 'Yuanjiang Hani, Yi and Dai Autonomous County',
  },
  { code: '530481', name: '澄江市', shortName: '澄江市', nameEn: 'Chengjiang City' },
];

/** Codes in the boundary package that predate a change of division. */
export const RENAMED_COUNTY_CODES: Record<string, string> = { '530422': '530481' };

/** The suffix that turns a township's short name (大营街) into its full name (大营街街道, 高大傣族彝族乡). */
export const TOWNSHIP_SUFFIX = /((蒙古|彝|傣|苗|哈尼)族)*(乡|镇|街道)$/;

/** A township's name as it appears inside other names: 大营街街道 → 大营街, 通红甸彝族苗族乡 → 通红甸. */
export function townshipShortName(name: string): string {
  return name.replace(TOWNSHIP_SUFFIX, '') || name;
}

/**
 * A reserve or forest farm whose area is drawn as an irregular band: `anchor` is its approximate
 * centre in WGS 84 (null: a seeded point inside the county), the band runs `lengthKm` along
 * `azimuth` degrees from north and is about `widthKm` wide. The result is clipped to the county.
 */
export type SpecialArea = {
  code: string;
  kind: 'nature_reserve' | 'forest_farm';
  countyCode: string;
  name: string;
  nameEn: string;
  anchor: [number, number] | null;
  lengthKm: number;
  widthKm: number;
  azimuth: number;
  seed: number;
};

/**
 * 元江 and 哀牢山 (新平片区) are the national reserves the notice has in mind and 澄江's fossil site
 * reserve is real too; their anchors are rough positions, their outlines invented. The 玉白顶
 * reserve and the forest farm names are plausible inventions for demonstration. Anchors are
 * chosen so that no two areas overlap.
 */
export const SPECIAL_AREAS: SpecialArea[] = [
  {
    code: '530428-R01',
    kind: 'nature_reserve',
    countyCode: '530428',
    name: '云南元江国家级自然保护区',
    nameEn: 'Yunnan Yuanjiang National Nature Reserve',
    anchor: [101.86, 23.62],
    lengthKm: 26,
    widthKm: 9,
    azimuth: 150,
    seed: 1,
  },
  {
    code: '530427-R01',
    kind: 'nature_reserve',
    countyCode: '530427',
    name: '云南哀牢山国家级自然保护区新平片区',
    nameEn: 'Yunnan Ailaoshan National Nature Reserve (Xinping Section)',
    anchor: [101.5, 24.08],
    lengthKm: 34,
    widthKm: 8,
    azimuth: 160,
    seed: 2,
  },
  {
    code: '530481-R01',
    kind: 'nature_reserve',
    countyCode: '530481',
    name: '云南澄江动物化石群省级自然保护区',
    nameEn: 'Yunnan Chengjiang Fossil Fauna Provincial Nature Reserve',
    anchor: [102.97, 24.68],
    lengthKm: 6,
    widthKm: 4,
    azimuth: 30,
    seed: 3,
  },
  {
    code: '530426-R01',
    kind: 'nature_reserve',
    countyCode: '530426',
    name: '峨山县玉白顶自然保护区',
    nameEn: 'Eshan Yubaiding Nature Reserve',
    anchor: [102.26, 24.3],
    lengthKm: 12,
    widthKm: 6,
    azimuth: 20,
    seed: 4,
  },
  {
    code: '530427-F01',
    kind: 'forest_farm',
    countyCode: '530427',
    name: '新平县磨盘山国有林场',
    nameEn: 'Xinping Mopanshan State Forest Farm',
    anchor: [101.98, 23.95],
    lengthKm: 14,
    widthKm: 7,
    azimuth: 45,
    seed: 11,
  },
  {
    code: '530426-F01',
    kind: 'forest_farm',
    countyCode: '530426',
    name: '峨山县国有林场',
    nameEn: 'Eshan State Forest Farm',
    anchor: [102.1, 24.15],
    lengthKm: 10,
    widthKm: 6,
    azimuth: 120,
    seed: 12,
  },
  {
    code: '530425-F01',
    kind: 'forest_farm',
    countyCode: '530425',
    name: '易门县国有林场',
    nameEn: 'Yimen State Forest Farm',
    anchor: null,
    lengthKm: 10,
    widthKm: 6,
    azimuth: 10,
    seed: 13,
  },
  {
    code: '530424-F01',
    kind: 'forest_farm',
    countyCode: '530424',
    name: '华宁县国有林场',
    nameEn: 'Huaning State Forest Farm',
    anchor: null,
    lengthKm: 9,
    widthKm: 5,
    azimuth: 70,
    seed: 14,
  },
];

/**
 * Forest scenic areas with rough WGS 84 positions (the demo site register moves them inside the
 * county if they fall outside). 抚仙湖, 秀山, 磨盘山 and 哀牢山 are real places; the sites are not.
 */
export const LANDMARKS = [
  { countyCode: '530481', name: '抚仙湖北岸森林景区', lon: 102.93, lat: 24.61 },
  { countyCode: '530423', name: '通海秀山森林公园', lon: 102.755, lat: 24.1 },
  { countyCode: '530427', name: '磨盘山国家森林公园', lon: 101.98, lat: 23.95 },
  { countyCode: '530427', name: '哀牢山石门峡景区', lon: 101.56, lat: 24.12 },
  { countyCode: '530402', name: '玉溪红塔山森林公园', lon: 102.52, lat: 24.37 },
];

/** The three departments each level runs the campaign with (codes `-D01..03`, in this order). */
export const DEPARTMENTS = [
  { suffix: '综治办', nameEn: 'Comprehensive Governance Office' },
  { suffix: '林业和草原局', nameEn: 'Forestry and Grassland Bureau' },
  { suffix: '森林公安局', nameEn: 'Forest Public Security Bureau' },
] as const;
