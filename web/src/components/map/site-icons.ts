/**
 * Site icons drawn on a canvas (no remote sprite sheet): each kind has its colour and its shape,
 * so kinds stay apart for colour-blind readers too. The same drawing feeds the map (`addImage`)
 * and the legend (data URLs).
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { SiteKind } from '@/api/sites';

type Shape = 'square' | 'circle' | 'shield' | 'triangle' | 'diamond' | 'hexagon' | 'star' | 'leaf' | 'flag' | 'gate';

export const SITE_KIND_STYLE: Record<SiteKind, { colour: string; shape: Shape }> = {
  timber_checkpoint: { colour: '#c2410c', shape: 'square' },
  police_station: { colour: '#1d4ed8', shape: 'shield' },
  police_post: { colour: '#0284c7', shape: 'circle' },
  temporary_checkpoint: { colour: '#dc2626', shape: 'triangle' },
  mobile_checkpoint: { colour: '#d97706', shape: 'diamond' },
  timber_enterprise: { colour: '#78350f', shape: 'hexagon' },
  timber_market: { colour: '#a16207', shape: 'flag' },
  wildlife_breeding: { colour: '#15803d', shape: 'leaf' },
  scenic_area: { colour: '#0f766e', shape: 'star' },
  reserve_entrance: { colour: '#7e22ce', shape: 'gate' },
};

const SIZE = 28;

function tracePath(ctx: CanvasRenderingContext2D, shape: Shape, size: number) {
  const c = size / 2;
  const r = size / 2 - 3;
  ctx.beginPath();
  const polygon = (points: [number, number][]) => {
    ctx.moveTo(points[0][0], points[0][1]);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
    ctx.closePath();
  };
  const regular = (n: number, radius: number, rotation: number) =>
    Array.from({ length: n }, (_, i) => {
      const a = rotation + (i * 2 * Math.PI) / n;
      return [c + radius * Math.cos(a), c + radius * Math.sin(a)] as [number, number];
    });
  switch (shape) {
    case 'circle':
      ctx.arc(c, c, r, 0, Math.PI * 2);
      break;
    case 'square':
      ctx.roundRect(3, 3, size - 6, size - 6, 3);
      break;
    case 'triangle':
      polygon([
        [c, 2],
        [size - 2, size - 4],
        [2, size - 4],
      ]);
      break;
    case 'diamond':
      polygon([
        [c, 1],
        [size - 1, c],
        [c, size - 1],
        [1, c],
      ]);
      break;
    case 'hexagon':
      polygon(regular(6, r + 1, Math.PI / 6));
      break;
    case 'star': {
      const points: [number, number][] = [];
      for (let i = 0; i < 10; i++) {
        const radius = i % 2 === 0 ? r + 2 : (r + 2) * 0.48;
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        points.push([c + radius * Math.cos(a), c + 1 + radius * Math.sin(a)]);
      }
      polygon(points);
      break;
    }
    case 'shield':
      ctx.moveTo(c, 2);
      ctx.lineTo(size - 3, 6);
      ctx.quadraticCurveTo(size - 3, size - 6, c, size - 1);
      ctx.quadraticCurveTo(3, size - 6, 3, 6);
      ctx.closePath();
      break;
    case 'leaf':
      ctx.moveTo(c, 1);
      ctx.quadraticCurveTo(size - 1, c, c, size - 1);
      ctx.quadraticCurveTo(1, c, c, 1);
      ctx.closePath();
      break;
    case 'flag':
      ctx.roundRect(3, 5, size - 6, size - 10, 2);
      break;
    case 'gate':
      ctx.moveTo(3, size - 3);
      ctx.lineTo(3, 9);
      ctx.arc(c, 9, c - 3, Math.PI, 0);
      ctx.lineTo(size - 3, size - 3);
      ctx.closePath();
      break;
  }
}

/** Draws one kind's icon at `scale` (2 for sharp icons on high-density screens). */
export function drawSiteIcon(kind: SiteKind, scale = 2, muted = false): HTMLCanvasElement {
  const { colour, shape } = SITE_KIND_STYLE[kind];
  const canvas = document.createElement('canvas');
  canvas.width = SIZE * scale;
  canvas.height = SIZE * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  ctx.scale(scale, scale);
  tracePath(ctx, shape, SIZE);
  ctx.fillStyle = muted ? '#9ca3af' : colour;
  ctx.shadowColor = 'rgba(0,0,0,0.35)';
  ctx.shadowBlur = 2;
  ctx.fill();
  ctx.shadowBlur = 0;
  ctx.lineWidth = 2;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(SIZE / 2, SIZE / 2 + (shape === 'triangle' ? 3 : 0), 3, 0, Math.PI * 2);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  return canvas;
}

const dataUrls = new Map<string, string>();

/** The icon as a data URL for legends and tables. */
export function siteIconUrl(kind: SiteKind): string {
  let url = dataUrls.get(kind);
  if (!url) {
    url = drawSiteIcon(kind, 2).toDataURL();
    dataUrls.set(kind, url);
  }
  return url;
}

/** Registers `site-<kind>` and `site-<kind>-inactive` images on a map (idempotent). */
export function addSiteIcons(map: MapLibreMap) {
  for (const kind of Object.keys(SITE_KIND_STYLE) as SiteKind[]) {
    for (const muted of [false, true]) {
      const id = `site-${kind}${muted ? '-inactive' : ''}`;
      if (map.hasImage(id)) continue;
      const canvas = drawSiteIcon(kind, 2, muted);
      const ctx = canvas.getContext('2d');
      if (!ctx) continue;
      map.addImage(id, ctx.getImageData(0, 0, canvas.width, canvas.height), { pixelRatio: 2 });
    }
  }
}
