import { z } from 'zod';

/** CAP 1.2's enumerations (OASIS CAP v1.2, 3.2.1–3.2.2), as the standard spells them. */
export const CAP_STATUSES = ['Actual', 'Exercise', 'System', 'Test', 'Draft'] as const;
export const CAP_MSG_TYPES = ['Alert', 'Update', 'Cancel', 'Ack', 'Error'] as const;
export const CAP_SCOPES = ['Public', 'Restricted', 'Private'] as const;
export const CAP_CATEGORIES = [
  'Geo',
  'Met',
  'Safety',
  'Security',
  'Rescue',
  'Fire',
  'Health',
  'Env',
  'Transport',
  'Infra',
  'CBRNE',
  'Other',
] as const;
export const CAP_URGENCIES = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown'] as const;
export const CAP_SEVERITIES = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown'] as const;
export const CAP_CERTAINTIES = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown'] as const;

export type CapMsgType = (typeof CAP_MSG_TYPES)[number];
export type CapCategory = (typeof CAP_CATEGORIES)[number];
export type CapUrgency = (typeof CAP_URGENCIES)[number];
export type CapSeverity = (typeof CAP_SEVERITIES)[number];
export type CapCertainty = (typeof CAP_CERTAINTIES)[number];

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2';
export const CAP_CONTENT_TYPE = 'application/cap+xml';
export const ATOM_CONTENT_TYPE = 'application/atom+xml';

export const PublishIncidentBody = z
  .object({
    headline: z.string().trim().min(1).max(160).optional().describe('the warning’s headline; by default the category and place'),
    instruction: z.string().trim().min(1).max(1000).optional().describe('what the public should do; by default the category’s advice'),
    severity: z.enum(CAP_SEVERITIES).optional().describe('by default from the incident’s priority (1 Extreme … 4 Minor)'),
  })
  .meta({ id: 'PublishIncident' });
export type PublishIncidentInput = z.infer<typeof PublishIncidentBody>;

export const CapMessage = z
  .object({
    id: z.string().uuid(),
    identifier: z.string(),
    incidentId: z.string().uuid(),
    msgType: z.enum(CAP_MSG_TYPES),
    sent: z.date(),
    references: z.string().nullable(),
    headline: z.string(),
    url: z.string().describe('where the CAP XML is served'),
  })
  .meta({ id: 'CapMessage' });
export type CapMessage = z.infer<typeof CapMessage>;

export const IncidentIdParams = z.object({ id: z.string().uuid() });
export const CapMessageIdParams = z.object({ id: z.string().uuid() });
