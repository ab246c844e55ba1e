import type { Register, ResponsibilityTask, TaskInput } from '@/api/responsibilities';
import { shanghaiYear } from '@/utils/format';

/** The years the list offers: two back, this one and the next. */
export const yearOptions = () => {
  const y = shanghaiYear();
  return [y + 1, y, y - 1, y - 2];
};

/** Element Plus tag types of a work plan's status. */
export const PLAN_STATUS_TAG: Record<Register['workPlan']['status'], 'success' | 'warning' | 'info' | 'danger'> = {
  on_time: 'success',
  late: 'warning',
  pending: 'info',
  missing: 'danger',
};

export const CHECK_RESULT_TAG: Record<string, 'success' | 'warning' | 'danger'> = {
  pass: 'success',
  basic_pass: 'warning',
  fail: 'danger',
};

/** The progress bar's colour: green when done, red when overdue, the theme's green while under way (the percent stays shown). */
export const progressColor = (task: Pick<ResponsibilityTask, 'percent' | 'overdue'>) =>
  task.percent >= 100 ? '#67c23a' : task.overdue ? '#f56c6c' : '#1f6f43';

/** The task form's state: text fields as strings ('' is none). */
export interface TaskFormState {
  title: string;
  description: string;
  ownerName: string;
  ownerUnit: string;
  deadline: string;
  measureKind: TaskInput['measureKind'];
  measureRef: string;
  measureNote: string;
}

export const emptyTask = (year: number): TaskFormState => ({
  title: '',
  description: '',
  ownerName: '',
  ownerUnit: '',
  deadline: `${year}-12-31`,
  measureKind: 'assessment_item',
  measureRef: '',
  measureNote: '',
});

export const fromTask = (task: ResponsibilityTask): TaskFormState => ({
  title: task.title,
  description: task.description ?? '',
  ownerName: task.ownerName ?? '',
  ownerUnit: task.ownerUnit ?? '',
  deadline: task.deadline,
  measureKind: task.measureKind,
  measureRef: task.measureRef ?? '',
  measureNote: task.measureNote ?? '',
});

const orNull = (v: string) => (v.trim() === '' ? null : v.trim());

export const toTaskBody = (form: TaskFormState): TaskInput => ({
  title: form.title.trim(),
  description: orNull(form.description),
  ownerName: orNull(form.ownerName),
  ownerUnit: orNull(form.ownerUnit),
  deadline: form.deadline,
  measureKind: form.measureKind,
  measureRef: form.measureKind === 'evidence' ? null : orNull(form.measureRef),
  measureNote: orNull(form.measureNote),
});
