import { api, type JsonBody, unwrap } from './client';

export type SignInInput = JsonBody<'/api/auth/login', 'post'>;
export type ChangePasswordInput = JsonBody<'/api/auth/password', 'post'>;

export const signIn = (body: SignInInput) => unwrap(api.POST('/api/auth/login', { body }));
export const signOut = () => unwrap(api.POST('/api/auth/logout'));
export const fetchMe = () => unwrap(api.GET('/api/auth/me'));
/** Who is signed in, if anyone: 200 either way, so a visitor's console shows no failed request. */
export const fetchSession = () => unwrap(api.GET('/api/auth/session'));
export const changePassword = (body: ChangePasswordInput) => unwrap(api.POST('/api/auth/password', { body }));

export type Me = Awaited<ReturnType<typeof fetchMe>>;
