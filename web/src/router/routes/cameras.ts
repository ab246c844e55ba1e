import type { RouteRecordRaw } from 'vue-router';

export default [
  {
    path: 'cameras',
    name: 'cameras',
    component: () => import('@/views/cameras/list.vue'),
    meta: { titleKey: 'cameras.menu.list', icon: 'VideoCamera', permission: 'cameras:read', order: 5.5, group: 'prevention' },
  },
  {
    path: 'cameras/wall',
    name: 'camera-wall',
    component: () => import('@/views/cameras/wall.vue'),
    meta: { titleKey: 'cameras.menu.wall', icon: 'Grid', permission: 'cameras:read', order: 5.6, group: 'prevention' },
  },
  {
    path: 'camera-alarms',
    name: 'camera-alarms',
    component: () => import('@/views/cameras/alarms.vue'),
    meta: { titleKey: 'cameras.menu.alarms', icon: 'AlarmClock', permission: 'cameras:read', order: 5.7, group: 'prevention' },
  },
  // One camera's page with its live view: no name, so it is not in the side menu; the list, map and wall link to it.
  {
    path: 'cameras/:id',
    component: () => import('@/views/cameras/detail.vue'),
    meta: { titleKey: 'cameras.detail.title', permission: 'cameras:read' },
  },
] satisfies RouteRecordRaw[];
