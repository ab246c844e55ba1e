/**
 * The router: the sign-in page, and the signed-in layout whose children come from one route module
 * per business area (`routes/<module>.ts`, next to `views/<module>/`). Each page names the permission
 * it needs in `meta.permission`; the side menu is built from the same records, so a user only sees
 * what they may open. A page with its own layout (`meta.standalone`, the ranger's phone page) is
 * declared the same way and sits beside the layout instead of in it.
 */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { t } from '@/i18n';
import { useSessionStore } from '@/stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page title and menu label */
    titleKey?: string;
    /** Element Plus icon name for the menu */
    icon?: string;
    /** permission code the page needs */
    permission?: string;
    /** position in the side menu */
    order?: number;
    /** the page fills the content area without padding (the map) */
    fullBleed?: boolean;
    /** reachable without signing in */
    public?: boolean;
    /** the page has its own layout: not inside the signed-in layout, not in the side menu */
    standalone?: boolean;
    /** the side-menu group the page sits in (`common.menuGroup.<group>`), placed where its first page is */
    group?: string;
  }
}

const modules = import.meta.glob<{ default: RouteRecordRaw[] }>('./routes/*.ts', { eager: true });

const moduleRoutes = Object.values(modules).flatMap((m) => m.default);
/** The pages of the signed-in layout, in menu order. */
export const appRoutes: RouteRecordRaw[] = moduleRoutes
  .filter((r) => !r.meta?.standalone)
  .sort((a, b) => (a.meta?.order ?? 99) - (b.meta?.order ?? 99));
const standaloneRoutes = moduleRoutes.filter((r) => r.meta?.standalone);

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/login', name: 'login', component: () => import('@/views/auth/login.vue'), meta: { public: true, titleKey: 'auth.title' } },
    ...standaloneRoutes,
    {
      path: '/',
      component: () => import('@/layouts/BasicLayout.vue'),
      children: [
        ...appRoutes,
        {
          path: 'forbidden',
          name: 'forbidden',
          component: () => import('@/views/error/forbidden.vue'),
          meta: { titleKey: 'common.forbidden.title' },
        },
      ],
    },
    { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('@/views/error/not-found.vue'), meta: { public: true } },
  ],
});

/**
 * Where sign-in lands: a ranger's account on the phone page; everyone else (the administrator
 * too, who holds every permission) on the first page of the menu they may open.
 */
export function homeRoute(can: (code?: string) => boolean) {
  if (can('patrols:self') && !can('positions:read')) return 'ranger';
  return appRoutes.find((r) => can(r.meta?.permission))?.name ?? 'forbidden';
}

router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (!session.checked) await session.load().catch(() => null);
  if (to.meta.public) {
    if (to.name === 'login' && session.signedIn) return { name: homeRoute(session.can) };
    return true;
  }
  if (!session.signedIn) return { name: 'login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} };
  // A ranger opening the start page gets the phone page.
  if (to.name === 'dashboard' && homeRoute(session.can) === 'ranger') return { name: 'ranger' };
  if (!session.can(to.meta.permission)) {
    // The dashboard is the default landing page; send people without it to their first page.
    if (to.name === 'dashboard') return { name: homeRoute(session.can) };
    return { name: 'forbidden' };
  }
  return true;
});

/** The window title: the page, then the product, in the current language. */
export function updateTitle() {
  const route = router.currentRoute.value;
  const product = t('common.product');
  document.title = route.meta.titleKey ? `${t(route.meta.titleKey)} - ${product}` : product;
}

router.afterEach(() => updateTitle());
