/**
 * Names on the map as HTML markers. Text symbol layers need a glyph server, which an offline
 * installation does not have, so labels are plain DOM elements placed at each feature's label point.
 */
import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import { labelPoint } from './maplibre';

type LabelFeature = { geometry: unknown; properties: Record<string, unknown> };

export class HtmlLabels {
  private markers: Marker[] = [];
  private features: LabelFeature[] = [];
  private visible = true;
  private readonly onZoom = () => this.applyVisibility();

  constructor(
    private readonly map: MapLibreMap,
    private readonly options: {
      className?: string;
      minzoom?: number;
      maxzoom?: number;
      limit?: number;
      /** the text of a feature's label (default: its `name`) */
      textOf?: (properties: Record<string, unknown>) => string | null;
    } = {},
  ) {
    map.on('zoomend', this.onZoom);
  }

  /** Replaces the labels with one per feature. */
  setFeatures(features: LabelFeature[]) {
    this.clear();
    this.features = features;
    const textOf = this.options.textOf ?? ((p) => (typeof p.name === 'string' ? p.name : null));
    for (const feature of features.slice(0, this.options.limit ?? 300)) {
      const name = textOf(feature.properties);
      const at = labelPoint(feature.geometry);
      if (!name || !at) continue;
      const element = document.createElement('div');
      element.className = `sf-map-label ${this.options.className ?? ''}`;
      element.textContent = name;
      this.markers.push(new Marker({ element, anchor: 'center' }).setLngLat(at).addTo(this.map));
    }
    this.applyVisibility();
  }

  /** Redraws the labels (after the language changed). */
  relabel() {
    this.setFeatures(this.features);
  }

  setVisible(visible: boolean) {
    this.visible = visible;
    this.applyVisibility();
  }

  private applyVisibility() {
    const zoom = this.map.getZoom();
    const show = this.visible && zoom >= (this.options.minzoom ?? 0) && zoom < (this.options.maxzoom ?? 24);
    for (const marker of this.markers) marker.getElement().style.display = show ? '' : 'none';
  }

  clear() {
    for (const marker of this.markers) marker.remove();
    this.markers = [];
  }

  destroy() {
    this.clear();
    this.map.off('zoomend', this.onZoom);
  }
}
