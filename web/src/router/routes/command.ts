import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'command',
    name: 'command',
    component: () => import('@/views/command/index.vue'),
    meta: { titleKey: 'common.menu.command', icon: 'Aim', permission: 'positions:read', order: 2, fullBleed: true },
  },
] satisfies RouteRecordRaw[];
