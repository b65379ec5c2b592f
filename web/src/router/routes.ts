// The console's pages. meta.permission is what a page needs (the same string the server checks); the sidebar
// (router/menu.ts) and the guard (router/guard.ts) both read it, so a menu and its route never disagree.
import type { RouteRecordRaw } from 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string // i18n key
    permission?: string
    public?: boolean
    // Reachable while the server insists on a password change.
    allowPending?: boolean
  }
}

export const routes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('@/views/auth/LoginView.vue'),
    meta: { public: true, title: 'login.title' },
  },
  {
    path: '/public/notices',
    name: 'public-notices',
    component: () => import('@/views/public/PublicNoticeList.vue'),
    meta: { public: true, title: 'rescueWeb.public.title' },
  },
  {
    path: '/public/notices/:id(\\d+)',
    name: 'public-notice',
    component: () => import('@/views/public/PublicNoticeDetail.vue'),
    meta: { public: true, title: 'rescueWeb.public.title' },
  },
  {
    path: '/',
    component: () => import('@/layout/Layout.vue'),
    children: [
      { path: '', redirect: { name: 'dashboard' } },
      {
        path: 'dashboard',
        name: 'dashboard',
        component: () => import('@/views/dashboard/DashboardView.vue'),
        meta: { title: 'menu.dashboard' },
      },
      {
        path: 'registry/persons',
        name: 'persons',
        component: () => import('@/views/registry/PersonList.vue'),
        meta: { title: 'menu.persons', permission: 'registry.person.read' },
      },
      {
        path: 'registry/persons/new',
        name: 'person-new',
        component: () => import('@/views/registry/PersonForm.vue'),
        meta: { title: 'person.create', permission: 'registry.person.write' },
      },
      {
        path: 'registry/persons/:id(\\d+)',
        name: 'person',
        component: () => import('@/views/registry/PersonDetail.vue'),
        meta: { title: 'person.detail', permission: 'registry.person.read' },
      },
      {
        path: 'registry/persons/:id(\\d+)/edit',
        name: 'person-edit',
        component: () => import('@/views/registry/PersonForm.vue'),
        meta: { title: 'person.edit', permission: 'registry.person.write' },
      },
      {
        path: 'registry/households',
        name: 'households',
        component: () => import('@/views/registry/HouseholdList.vue'),
        meta: { title: 'menu.households', permission: 'registry.household.read' },
      },
      {
        path: 'registry/households/new',
        name: 'household-new',
        component: () => import('@/views/registry/HouseholdForm.vue'),
        meta: { title: 'household.create', permission: 'registry.household.write' },
      },
      {
        path: 'registry/households/:id(\\d+)',
        name: 'household',
        component: () => import('@/views/registry/HouseholdDetail.vue'),
        meta: { title: 'household.detail', permission: 'registry.household.read' },
      },
      {
        path: 'registry/households/:id(\\d+)/edit',
        name: 'household-edit',
        component: () => import('@/views/registry/HouseholdForm.vue'),
        meta: { title: 'household.edit', permission: 'registry.household.write' },
      },
      // 核对 (verification): feeds, a household's authorisations and verification, results, batch rechecks.
      {
        path: 'verify/feeds',
        name: 'verify-feeds',
        component: () => import('@/views/verify/FeedList.vue'),
        meta: { title: 'verify.title.feeds', permission: 'verify.read' },
      },
      {
        path: 'verify/feeds/:id(\\d+)',
        name: 'verify-feed',
        component: () => import('@/views/verify/FeedDetail.vue'),
        meta: { title: 'verify.title.feedDetail', permission: 'verify.read' },
      },
      {
        path: 'verify/requests',
        name: 'verify-requests',
        component: () => import('@/views/verify/RequestList.vue'),
        meta: { title: 'verify.title.requests', permission: 'verify.read' },
      },
      {
        path: 'verify/requests/:id(\\d+)',
        name: 'verify-result',
        component: () => import('@/views/verify/RequestResult.vue'),
        meta: { title: 'verify.title.result', permission: 'verify.read' },
      },
      {
        path: 'verify/households/:id(\\d+)',
        name: 'verify-household',
        component: () => import('@/views/verify/HouseholdVerify.vue'),
        meta: { title: 'verify.title.household', permission: 'verify.read' },
      },
      {
        path: 'verify/batches',
        name: 'verify-batches',
        component: () => import('@/views/verify/BatchList.vue'),
        meta: { title: 'verify.title.batches', permission: 'verify.read' },
      },
      {
        path: 'verify/batches/:id(\\d+)',
        name: 'verify-batch',
        component: () => import('@/views/verify/BatchDetail.vue'),
        meta: { title: 'verify.title.batchDetail', permission: 'verify.read' },
      },
      {
        path: 'rescue/cases',
        name: 'rescue-cases',
        component: () => import('@/views/rescue/cases/CaseList.vue'),
        meta: { title: 'rescue.menu.cases', permission: 'rescue.read' },
      },
      {
        path: 'rescue/cases/new',
        name: 'rescue-intake',
        component: () => import('@/views/rescue/cases/CaseForm.vue'),
        meta: { title: 'rescue.menu.intake', permission: 'rescue.write' },
      },
      {
        path: 'rescue/cases/:id(\\d+)',
        name: 'rescue-case',
        component: () => import('@/views/rescue/cases/CaseDetail.vue'),
        meta: { title: 'rescue.menu.case', permission: 'rescue.read' },
      },
      {
        path: 'rescue/missing-reports',
        name: 'rescue-reports',
        component: () => import('@/views/rescue/reports/ReportList.vue'),
        meta: { title: 'rescueReport.menu', permission: 'tracing.read' },
      },
      {
        path: 'rescue/missing-reports/new',
        name: 'rescue-report-new',
        component: () => import('@/views/rescue/reports/ReportForm.vue'),
        meta: { title: 'rescueReport.create', permission: 'tracing.write' },
      },
      {
        path: 'rescue/missing-reports/:id(\\d+)',
        name: 'rescue-report',
        component: () => import('@/views/rescue/reports/ReportDetail.vue'),
        meta: { title: 'rescueReport.detail', permission: 'tracing.read' },
      },
      {
        path: 'rescue/missing-reports/:id(\\d+)/edit',
        name: 'rescue-report-edit',
        component: () => import('@/views/rescue/reports/ReportForm.vue'),
        meta: { title: 'rescueReport.edit', permission: 'tracing.write' },
      },
      {
        path: 'rescue/whereabouts',
        name: 'rescue-whereabouts',
        component: () => import('@/views/rescue/stay/WhereaboutsView.vue'),
        meta: { title: 'rescueWeb.menu.whereabouts', permission: 'rescue.read' },
      },
      {
        path: 'rescue/numbers',
        name: 'rescue-numbers',
        component: () => import('@/views/rescue/stay/NumbersView.vue'),
        meta: { title: 'rescueWeb.menu.numbers', permission: 'rescue.read' },
      },
      {
        path: 'rescue/patrols',
        name: 'patrols',
        component: () => import('@/views/rescue/patrols/PatrolList.vue'),
        meta: { title: 'patrol.menu', permission: 'rescue.read' },
      },
      {
        path: 'rescue/patrols/new',
        name: 'patrol-new',
        component: () => import('@/views/rescue/patrols/PatrolForm.vue'),
        meta: { title: 'patrol.create', permission: 'rescue.write' },
      },
      {
        path: 'rescue/patrols/:id(\\d+)/edit',
        name: 'patrol-edit',
        component: () => import('@/views/rescue/patrols/PatrolForm.vue'),
        meta: { title: 'patrol.correct', permission: 'rescue.write' },
      },
      {
        path: 'rescue/institutions',
        name: 'institutions',
        component: () => import('@/views/rescue/institutions/InstitutionList.vue'),
        meta: { title: 'institution.menu.institutions', permission: 'institution.read' },
      },
      {
        path: 'rescue/institutions/new',
        name: 'institution-new',
        component: () => import('@/views/rescue/institutions/InstitutionForm.vue'),
        meta: { title: 'institution.create', permission: 'institution.write' },
      },
      {
        path: 'rescue/institutions/:id(\\d+)',
        name: 'institution',
        component: () => import('@/views/rescue/institutions/InstitutionDetail.vue'),
        meta: { title: 'institution.detail', permission: 'institution.read' },
      },
      {
        path: 'rescue/institutions/:id(\\d+)/edit',
        name: 'institution-edit',
        component: () => import('@/views/rescue/institutions/InstitutionForm.vue'),
        meta: { title: 'institution.correct', permission: 'institution.write' },
      },
      {
        path: 'rescue/institutions/:id(\\d+)/inspections/new',
        name: 'inspection-new',
        component: () => import('@/views/rescue/institutions/InspectionForm.vue'),
        meta: { title: 'institution.newInspection', permission: 'institution.write' },
      },
      {
        path: 'rescue/inspections/:id(\\d+)',
        name: 'inspection',
        component: () => import('@/views/rescue/institutions/InspectionDetail.vue'),
        meta: { title: 'institution.inspection', permission: 'institution.read' },
      },
      {
        path: 'rescue/inspections/:id(\\d+)/edit',
        name: 'inspection-edit',
        component: () => import('@/views/rescue/institutions/InspectionForm.vue'),
        meta: { title: 'institution.correctInspection', permission: 'institution.write' },
      },
      {
        path: 'rescue/rectifications',
        name: 'rectifications',
        component: () => import('@/views/rescue/institutions/RectificationList.vue'),
        meta: { title: 'institution.menu.rectifications', permission: 'institution.read' },
      },
      {
        path: 'system/users',
        name: 'users',
        component: () => import('@/views/users/UserList.vue'),
        meta: { title: 'menu.users', permission: 'user.read' },
      },
      {
        path: 'system/roles',
        name: 'roles',
        component: () => import('@/views/roles/RoleList.vue'),
        meta: { title: 'menu.roles', permission: 'role.read' },
      },
      {
        path: 'audit',
        name: 'audit',
        component: () => import('@/views/audit/AuditLog.vue'),
        meta: { title: 'menu.audit', permission: 'audit.read' },
      },
      {
        path: 'jobs',
        name: 'jobs',
        component: () => import('@/views/jobs/JobList.vue'),
        meta: { title: 'menu.jobs', permission: 'job.read' },
      },
      {
        path: 'account/password',
        name: 'change-password',
        component: () => import('@/views/auth/ChangePassword.vue'),
        meta: { title: 'account.changePassword', allowPending: true },
      },
      {
        path: 'account/totp',
        name: 'totp-setup',
        component: () => import('@/views/auth/TotpSetup.vue'),
        meta: { title: 'account.totp', allowPending: true },
      },
      {
        path: '403',
        name: 'forbidden',
        component: () => import('@/views/error/ForbiddenView.vue'),
        meta: { title: 'error.forbiddenTitle', allowPending: true },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'not-found',
        component: () => import('@/views/error/NotFoundView.vue'),
        meta: { title: 'error.notFoundTitle', allowPending: true },
      },
    ],
  },
]
