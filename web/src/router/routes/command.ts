import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'command',
    name: 'command',
    component: () => import('@/views/command/index.vue'),
    meta: { titleKey: 'common.menu.command', icon: 'Aim', permission: 'positions:read', order: 2, fullBleed: true },
  },
  {
    path: 'replay',
    name: 'replay',
    component: () => import('@/views/replay/index.vue'),
    meta: { titleKey: 'common.menu.replay', icon: 'VideoPlay', permission: 'patrols:read', order: 8, fullBleed: true },
  },
] satisfies RouteRecordRaw[];
