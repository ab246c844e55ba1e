import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'responsibilities',
    name: 'responsibilities',
    component: () => import('@/views/responsibilities/list.vue'),
    meta: { titleKey: 'responsibilities.menu', icon: 'Stamp', permission: 'responsibilities:read', order: 20.05, group: 'campaign' },
  },
  // One unit's register: no name, so it is not in the side menu; the list links to it.
  {
    path: 'responsibilities/:id',
    component: () => import('@/views/responsibilities/detail.vue'),
    meta: { titleKey: 'responsibilities.title', permission: 'responsibilities:read' },
  },
] satisfies RouteRecordRaw[];
