import { saveDownload } from '@/utils/download';
import { fetchWithUploadProgress } from './basemaps';
import { api, type JsonBody, type QueryOf, type Schemas, unwrap } from './client';

/** The campaign's assessment (考评): standards as data, rounds, entries, recommendation, titles. */
export type StandardSummary = Schemas['AssessmentStandardSummary'];
export type Standard = Schemas['AssessmentStandard'];
export type StandardInput = JsonBody<'/api/assessment/standards', 'post'>;
export type Category = Schemas['AssessmentCategory'];
export type CurveStep = Schemas['AssessmentCurveStep'];
export type ItemKind = Category['kind'];
export type Round = Schemas['AssessmentRound'];
export type RoundLevel = Round['level'];
export type CreateRoundInput = JsonBody<'/api/assessment/rounds', 'post'>;
export type EntrySummary = Schemas['AssessmentEntrySummary'];
export type EntryStatus = EntrySummary['status'];
export type Entry = Schemas['AssessmentEntry'];
export type EntryItem = Schemas['AssessmentEntryItem'];
export type Computed = Schemas['AssessmentComputed'];
export type Inspection = Schemas['AssessmentInspection'];
export type DeductionCase = Schemas['AssessmentDeductionCase'];
export type SelfCheckInput = JsonBody<'/api/assessment/entries/{id}/self-check', 'put'>;
export type ReviewInput = JsonBody<'/api/assessment/entries/{id}/review', 'put'>;
export type Ranking = Awaited<ReturnType<typeof getRanking>>;
export type Progress = Awaited<ReturnType<typeof getProgress>>;
export type EligibilityLine = Awaited<ReturnType<typeof getEligibility>>['items'][number];
export type Reminder = Awaited<ReturnType<typeof listReminders>>['items'][number];
export type Title = Schemas['AssessmentTitle'];
export type TitleQuery = QueryOf<'/api/assessment/titles', 'get'>;
export type NameTitleInput = JsonBody<'/api/assessment/titles', 'post'>;
export type RecheckInput = JsonBody<'/api/assessment/titles/{id}/rechecks', 'post'>;
export type RevokeInput = JsonBody<'/api/assessment/titles/{id}/revoke', 'post'>;

export const ITEM_KINDS: ItemKind[] = ['manual', 'deduction', 'indicator'];
export const ENTRY_STATUSES: EntryStatus[] = ['draft', 'submitted', 'reviewing', 'final'];

const path = (id: string) => ({ params: { path: { id } } });

export const listStandards = () => unwrap(api.GET('/api/assessment/standards'));
export const getStandard = (id: string) => unwrap(api.GET('/api/assessment/standards/{id}', path(id)));
export const createStandard = (body: StandardInput) => unwrap(api.POST('/api/assessment/standards', { body }));
/** Saves a standard: in place when no round uses it, else as a new version (`newVersion`). */
export const updateStandard = (id: string, body: StandardInput) => unwrap(api.PUT('/api/assessment/standards/{id}', { ...path(id), body }));
export const exportStandard = async (id: string) =>
  saveDownload(await api.GET('/api/assessment/standards/{id}/export', { ...path(id), parseAs: 'blob' }), 'standard.xlsx');
/** Imports a workbook in the export layout, reporting the upload's progress (0–1). */
export function importStandard(file: File, onProgress: (fraction: number) => void) {
  const form = new FormData();
  form.append('file', file);
  return unwrap(
    api.POST('/api/assessment/standards/import', {
      body: form as never,
      bodySerializer: (body: unknown) => body as FormData,
      fetch: fetchWithUploadProgress(onProgress),
    }),
  );
}

export const listRounds = (query: QueryOf<'/api/assessment/rounds', 'get'> = {}) =>
  unwrap(api.GET('/api/assessment/rounds', { params: { query } }));
export const createRound = (body: CreateRoundInput) => unwrap(api.POST('/api/assessment/rounds', { body }));
export const getRound = (id: string) => unwrap(api.GET('/api/assessment/rounds/{id}', path(id)));
export const listEntries = (id: string) => unwrap(api.GET('/api/assessment/rounds/{id}/entries', path(id)));
export const getEligibility = (id: string) => unwrap(api.GET('/api/assessment/rounds/{id}/eligibility', path(id)));
export const getRanking = (id: string) => unwrap(api.GET('/api/assessment/rounds/{id}/ranking', path(id)));
export const getProgress = (id: string) => unwrap(api.GET('/api/assessment/rounds/{id}/progress', path(id)));
export const listRecommendations = (id: string) => unwrap(api.GET('/api/assessment/rounds/{id}/recommendations', path(id)));
/** 409 naming each ineligible unit and why when one is not eligible; nothing is written then. */
export const recommendUnits = (id: string, unitCodes: string[]) =>
  unwrap(api.POST('/api/assessment/rounds/{id}/recommendations', { ...path(id), body: { unitCodes } }));

export const getEntry = (id: string) => unwrap(api.GET('/api/assessment/entries/{id}', path(id)));
export const saveSelfCheck = (id: string, body: SelfCheckInput) =>
  unwrap(api.PUT('/api/assessment/entries/{id}/self-check', { ...path(id), body }));
export const submitSelfCheck = (id: string) => unwrap(api.POST('/api/assessment/entries/{id}/submit', path(id)));
export const saveReview = (id: string, body: ReviewInput) => unwrap(api.PUT('/api/assessment/entries/{id}/review', { ...path(id), body }));
export const finalizeEntry = (id: string) => unwrap(api.POST('/api/assessment/entries/{id}/finalize', path(id)));
export const downloadSheet = async (id: string) =>
  saveDownload(await api.GET('/api/assessment/entries/{id}/sheet.xlsx', { ...path(id), parseAs: 'blob' }), 'score-sheet.xlsx');

export const listReminders = () => unwrap(api.GET('/api/assessment/reminders'));

export const listTitles = (query: TitleQuery = {}) => unwrap(api.GET('/api/assessment/titles', { params: { query } }));
export const nameTitle = (body: NameTitleInput) => unwrap(api.POST('/api/assessment/titles', { body }));
export const recheckTitle = (id: string, body: RecheckInput) =>
  unwrap(api.POST('/api/assessment/titles/{id}/rechecks', { ...path(id), body }));
export const revokeTitle = (id: string, body: RevokeInput) => unwrap(api.POST('/api/assessment/titles/{id}/revoke', { ...path(id), body }));
