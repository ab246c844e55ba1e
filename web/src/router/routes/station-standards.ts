import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'station-standards',
    name: 'station-standards',
    component: () => import('@/views/station-standards/index.vue'),
    meta: {
      titleKey: 'stationStandards.menu',
      icon: 'OfficeBuilding',
      permission: 'station_standards:read',
      order: 20.4,
      group: 'campaign',
    },
  },
  // One station's checklist of a year: no name, so it is not in the side menu; the dashboard links to it.
  {
    path: 'station-standards/stations/:siteId/:year',
    component: () => import('@/views/station-standards/station.vue'),
    meta: { titleKey: 'stationStandards.station.title', permission: 'station_standards:read' },
  },
  // The city office's checklist editor.
  {
    path: 'station-standards/checklists',
    component: () => import('@/views/station-standards/checklist.vue'),
    meta: { titleKey: 'stationStandards.checklist.title', permission: 'station_standards:manage' },
  },
] satisfies RouteRecordRaw[];
