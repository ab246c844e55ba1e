import { api, type JsonBody, type QueryOf, unwrap } from './client';

export type CircleQuery = QueryOf<'/api/circles', 'get'>;
/** The types as the client receives them (openapi-fetch's view of the schemas). */
export type Circle = Awaited<ReturnType<typeof listCircles>>['items'][number];
export type CircleDetail = Awaited<ReturnType<typeof getCircle>>;
export type CircleMember = Circle['members'][number];
export type MobileDeployment = Awaited<ReturnType<typeof createDeployment>>;
export type CreateDeploymentInput = JsonBody<'/api/circles/deployments', 'post'>;
export type CircleProposal = Awaited<ReturnType<typeof proposeCircleMembers>>;

/** The kinds a circle is made of (notice clause 八). */
export const CHECKPOINT_KINDS = ['timber_checkpoint', 'temporary_checkpoint', 'mobile_checkpoint'] as const;

export const listCircles = (query: CircleQuery = {}) => unwrap(api.GET('/api/circles', { params: { query } }));
export const getCircle = (id: number, query: CircleQuery = {}) => unwrap(api.GET('/api/circles/{id}', { params: { path: { id }, query } }));
export const proposeCircleMembers = (id: number) => unwrap(api.GET('/api/circles/{id}/proposal', { params: { path: { id } } }));
export const addCircleMembers = (id: number, siteIds: string[]) =>
  unwrap(api.POST('/api/circles/{id}/members', { params: { path: { id } }, body: { siteIds } }));
export const removeCircleMember = (id: number, siteId: string) =>
  unwrap(api.DELETE('/api/circles/{id}/members/{siteId}', { params: { path: { id, siteId } } }));
export const listDeployments = (query: QueryOf<'/api/circles/deployments', 'get'> = {}) =>
  unwrap(api.GET('/api/circles/deployments', { params: { query } }));
export const createDeployment = (body: CreateDeploymentInput) => unwrap(api.POST('/api/circles/deployments', { body }));
export const endDeployment = (id: string, version: number) =>
  unwrap(api.POST('/api/circles/deployments/{id}/end', { params: { path: { id } }, body: { version } }));
export const cancelDeployment = (id: string, version: number) =>
  unwrap(api.POST('/api/circles/deployments/{id}/cancel', { params: { path: { id } }, body: { version } }));
