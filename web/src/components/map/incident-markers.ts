/**
 * Open incidents on a map as HTML markers: a disc in the colour of the status, larger
 * the more urgent the priority, flashing while nobody has dispatched it (status `new`). There are
 * at most a few hundred open incidents, so markers (clickable, labelled, testable) are enough.
 */
import { type Map as MapLibreMap, Marker } from 'maplibre-gl';
import type { Incident } from '@/api/incidents';

export const INCIDENT_STATUS_COLOUR: Record<Incident['status'], string> = {
  new: '#dc2626',
  dispatched: '#ea580c',
  on_scene: '#2563eb',
  resolved: '#16a34a',
  closed: '#6b7280',
  merged: '#6b7280',
  false_alarm: '#9ca3af',
};

const SIZE_BY_PRIORITY: Record<number, number> = { 1: 30, 2: 26, 3: 22, 4: 20 };

export class IncidentMarkers {
  private readonly markers = new Map<string, { marker: Marker; element: HTMLButtonElement }>();
  private selectedId: string | null = null;

  constructor(
    private readonly map: MapLibreMap,
    private readonly onPick: (id: string) => void,
    private readonly titleOf: (incident: Incident) => string,
  ) {}

  /** Shows exactly these incidents (adds, moves, restyles and removes markers). */
  set(incidents: Incident[]) {
    const seen = new Set<string>();
    for (const incident of incidents) {
      seen.add(incident.id);
      let entry = this.markers.get(incident.id);
      if (!entry) {
        const element = document.createElement('button');
        element.type = 'button';
        element.dataset.testid = 'incident-marker';
        element.dataset.incidentId = incident.id;
        element.addEventListener('click', (event) => {
          event.stopPropagation();
          this.onPick(incident.id);
        });
        const marker = new Marker({ element, anchor: 'center' })
          .setLngLat(incident.location.coordinates as [number, number])
          .addTo(this.map);
        entry = { marker, element };
        this.markers.set(incident.id, entry);
      }
      this.style(entry.element, incident);
      entry.marker.setLngLat(incident.location.coordinates as [number, number]);
    }
    for (const [id, entry] of this.markers) {
      if (seen.has(id)) continue;
      entry.marker.remove();
      this.markers.delete(id);
    }
  }

  select(id: string | null) {
    this.selectedId = id;
    for (const [key, { element }] of this.markers) element.classList.toggle('is-selected', key === id);
  }

  dispose() {
    for (const { marker } of this.markers.values()) marker.remove();
    this.markers.clear();
  }

  private style(element: HTMLButtonElement, incident: Incident) {
    const size = SIZE_BY_PRIORITY[incident.priority] ?? 22;
    element.className = `sf-incident-marker${incident.status === 'new' ? ' is-new' : ''}${incident.id === this.selectedId ? ' is-selected' : ''}`;
    element.dataset.status = incident.status;
    element.dataset.priority = String(incident.priority);
    element.style.setProperty('--sf-incident-colour', INCIDENT_STATUS_COLOUR[incident.status]);
    element.style.width = `${size}px`;
    element.style.height = `${size}px`;
    element.textContent = String(incident.priority);
    element.title = this.titleOf(incident);
  }
}
