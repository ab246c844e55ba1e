import type { RouteRecordRaw } from 'vue-router';

/** The campaign's assessment (创建考评): standards, rounds and their entries, titles. */
export default [
  {
    path: 'assessment/rounds',
    name: 'assessment-rounds',
    component: () => import('@/views/assessment/rounds.vue'),
    meta: { titleKey: 'assessment.menu.rounds', icon: 'Finished', permission: 'assessment:read', order: 20.2, group: 'campaign' },
  },
  {
    path: 'assessment/rounds/:id',
    component: () => import('@/views/assessment/round.vue'),
    meta: { titleKey: 'assessment.round.title', permission: 'assessment:read' },
  },
  {
    path: 'assessment/entries/:id',
    component: () => import('@/views/assessment/entry.vue'),
    meta: { titleKey: 'assessment.entry.title', permission: 'assessment:read' },
  },
  // The printable score sheet: its own page without the layout, for the printer.
  {
    path: '/assessment/entries/:id/print',
    component: () => import('@/views/assessment/entry-print.vue'),
    meta: { titleKey: 'assessment.print.title', permission: 'assessment:read', standalone: true },
  },
  {
    path: 'assessment/standards',
    name: 'assessment-standards',
    component: () => import('@/views/assessment/standards.vue'),
    meta: { titleKey: 'assessment.menu.standards', icon: 'Document', permission: 'assessment:read', order: 20.1, group: 'campaign' },
  },
  {
    path: 'assessment/standards/:id',
    component: () => import('@/views/assessment/standard.vue'),
    meta: { titleKey: 'assessment.standard.title', permission: 'assessment:read' },
  },
  {
    path: 'assessment/standards/:id/edit',
    component: () => import('@/views/assessment/standard-edit.vue'),
    meta: { titleKey: 'assessment.editor.title', permission: 'assessment:manage' },
  },
  {
    path: 'assessment/titles',
    name: 'assessment-titles',
    component: () => import('@/views/assessment/titles.vue'),
    meta: { titleKey: 'assessment.menu.titles', icon: 'Medal', permission: 'assessment:read', order: 20.3, group: 'campaign' },
  },
] satisfies RouteRecordRaw[];
