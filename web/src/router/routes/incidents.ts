import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'incidents',
    name: 'incidents',
    component: () => import('@/views/incidents/list.vue'),
    meta: { titleKey: 'incidents.menu', icon: 'Flag', permission: 'incidents:read', order: 2.5 },
  },
  // One incident's page: no name, so it is not in the side menu; the list and the map link to it.
  {
    path: 'incidents/:id',
    component: () => import('@/views/incidents/detail.vue'),
    meta: { titleKey: 'incidents.detail.title', permission: 'incidents:read' },
  },
] satisfies RouteRecordRaw[];
