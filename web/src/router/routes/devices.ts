import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'devices',
    name: 'devices',
    component: () => import('@/views/devices/list.vue'),
    meta: { titleKey: 'common.menu.devices', icon: 'Iphone', permission: 'devices:read', order: 7 },
  },
] satisfies RouteRecordRaw[];
