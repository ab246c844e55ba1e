/**
 * Permission codes (`module:action`) and the default roles. Roles are data: an administrator can
 * add roles in the database; these are the ones every installation starts with. `PERMISSIONS` is
 * the one list of codes: routes (`config.access`), live topics and roles take `Permission`, so a
 * code missing here does not compile.
 */
export const PERMISSIONS = [
  'org:read',
  'org:write',
  'sites:read',
  'sites:write',
  'users:read',
  'users:write',
  'audit:read',
  'settings:write',
  'basemaps:write',
  'rangers:read',
  'rangers:write',
  'devices:read',
  'devices:write',
  /** Whether a county requires device keys (the offices). */
  'devices:policy',
  'positions:read',
  'alerts:read',
  'alerts:write',
  'patrols:read',
  'patrols:write',
  'patrols:self',
  'reports:read',
  'reports:write',
  'performance:read',
  // Uploading a photo or document to attach to a record: the roles that write records, never the read-only ones.
  'files:write',
  // The command centre (notice clause 十): incidents, dispatch, public alerts, hotspots, plans, linkage.
  'incidents:read',
  'incidents:write',
  'incidents:dispatch',
  /** Publishing an incident as a public CAP warning, and withdrawing it. */
  'incidents:publish',
  /** A ranger's own assignments: seeing them, accepting or declining, reporting arrival. */
  'incidents:self',
  'hotspots:read',
  /** Importing and entering satellite hotspots. */
  'hotspots:write',
  /** Assigning and recording the ground check of a hotspot (核查反馈). */
  'hotspots:check',
  'plans:read',
  'plans:write',
  /** Webhooks, SMTP and the SMS gateway, their tests and the delivery log. */
  'integrations:write',
  // The campaign's assessment (notice clause 五): reading rounds and results, a unit's own
  // self-check, reviewing the units below, and running standards, rounds, recommendation and naming.
  'assessment:read',
  'assessment:self',
  'assessment:review',
  'assessment:manage',
  // The campaign (notice clause 三): responsibility registers, their target tasks and progress.
  'responsibilities:read',
  /** Keeping the registers of your area: leaders, work plan, tasks, progress reports. */
  'responsibilities:write',
  /** Checking the tasks of the units below yours (a county its townships, the city its counties), and the city's deadlines. */
  'responsibilities:check',
  // The campaign's goals (notice clauses 一, 二): reading the dashboard; entering figures (and, for the city office, the measures).
  'goals:read',
  'goals:write',
  // The "五化" standard of forest police stations (notice clause 八): reading ratings and the dashboard;
  // a station's self-rating (its own account, or the county on its behalf); the county's review and level;
  // the city office's checklist.
  'station_standards:read',
  'station_standards:rate',
  'station_standards:review',
  'station_standards:manage',
  // Video surveillance (notice clause 九): the camera register, live view and the cameras' alarms.
  'cameras:read',
  'cameras:write',
  // Road-checkpoint captures and watchlists (notice clause 九): searching captures; a checkpoint
  // platform's account pushing them; keeping watchlists; approving those of the units below.
  'captures:read',
  'captures:ingest',
  'watchlists:read',
  'watchlists:write',
  'watchlists:approve',
  // The two prevention circles (notice clause 八): seeing the rings; keeping a ring's members; recording mobile deployments.
  'circles:read',
  'circles:write',
  'circles:deploy',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What everyone who watches the patrol network may read. */
const WATCH: Permission[] = [
  'rangers:read',
  'devices:read',
  'positions:read',
  'alerts:read',
  'patrols:read',
  'reports:read',
  'performance:read',
];

/** What a role grants: permission codes, or `*` for every one. */
export type Grant = Permission | '*';

export type RoleDefinition = { id: string; name: string; nameEn: string; permissions: Grant[] };

export const DEFAULT_ROLES: RoleDefinition[] = [
  { id: 'admin', name: '系统管理员', nameEn: 'Administrator', permissions: ['*'] },
  {
    id: 'city_office',
    name: '市平安林区办',
    nameEn: 'City Safe Forest office',
    permissions: [
      'org:read',
      'sites:read',
      'sites:write',
      'users:read',
      'audit:read',
      ...WATCH,
      'files:write',
      'devices:policy',
      'incidents:read',
      'hotspots:read',
      'plans:read',
      'assessment:read',
      'assessment:review',
      'assessment:manage',
      'responsibilities:read',
      'responsibilities:write',
      'responsibilities:check',
      'goals:read',
      'goals:write',
      'station_standards:read',
      'station_standards:manage',
      'cameras:read',
      'cameras:write',
      'captures:read',
      'watchlists:read',
      'watchlists:write',
      'watchlists:approve',
      'circles:read',
      'circles:write',
      'circles:deploy',
    ],
  },
  {
    id: 'county_office',
    name: '县区林业局/综治办',
    nameEn: 'County forestry bureau / comprehensive governance office',
    permissions: [
      'org:read',
      'sites:read',
      'sites:write',
      'users:read',
      ...WATCH,
      'rangers:write',
      'devices:write',
      'devices:policy',
      'patrols:write',
      'files:write',
      'incidents:read',
      'incidents:write',
      'hotspots:read',
      'hotspots:write',
      'hotspots:check',
      'plans:read',
      'assessment:read',
      'assessment:self',
      'assessment:review',
      'assessment:manage',
      'responsibilities:read',
      'responsibilities:write',
      'responsibilities:check',
      'goals:read',
      'goals:write',
      'station_standards:read',
      'station_standards:rate',
      'station_standards:review',
      'cameras:read',
      'cameras:write',
      'captures:read',
      'watchlists:read',
      'watchlists:write',
      'circles:read',
      'circles:write',
      'circles:deploy',
    ],
  },
  {
    id: 'duty_officer',
    name: '指挥中心值班员',
    nameEn: 'Command centre duty officer',
    permissions: [
      'org:read',
      'sites:read',
      ...WATCH,
      'alerts:write',
      'reports:write',
      'files:write',
      'incidents:read',
      'incidents:write',
      'incidents:dispatch',
      'incidents:publish',
      'hotspots:read',
      'hotspots:write',
      'hotspots:check',
      'plans:read',
      'plans:write',
      'assessment:read',
      'goals:read',
      'station_standards:read',
      'cameras:read',
      'captures:read',
      'watchlists:read',
      'watchlists:write',
      'watchlists:approve',
      'circles:read',
    ],
  },
  {
    id: 'police',
    name: '派出所民警',
    nameEn: 'Forest police officer',
    permissions: [
      'org:read',
      'sites:read',
      'sites:write',
      ...WATCH,
      'alerts:write',
      'rangers:write',
      'devices:write',
      'patrols:write',
      'reports:write',
      'files:write',
      'incidents:read',
      'incidents:write',
      'incidents:dispatch',
      'hotspots:read',
      'hotspots:check',
      'plans:read',
      'assessment:read',
      'responsibilities:read',
      'goals:read',
      'station_standards:read',
      'station_standards:rate',
      'cameras:read',
      'cameras:write',
      'captures:read',
      'watchlists:read',
      'watchlists:write',
      'circles:read',
      'circles:deploy',
    ],
  },
  {
    id: 'checkpoint_staff',
    name: '检查站人员',
    nameEn: 'Checkpoint staff',
    permissions: ['org:read', 'sites:read', 'captures:read', 'circles:read'],
  },
  /**
   * The account a road-checkpoint platform pushes captures with: its unit bounds the checkpoints it
   * may name, and it reads the site register to learn their ids.
   */
  {
    id: 'checkpoint_platform',
    name: '卡口平台接入账号',
    nameEn: 'Checkpoint platform account',
    permissions: ['org:read', 'sites:read', 'captures:ingest'],
  },
  {
    id: 'ranger',
    name: '护林员',
    nameEn: 'Ranger',
    permissions: ['org:read', 'sites:read', 'patrols:self', 'files:write', 'incidents:self'],
  },
  {
    id: 'liaison',
    name: '联络员',
    nameEn: 'Liaison officer',
    permissions: ['org:read', 'sites:read', 'assessment:read', 'responsibilities:read', 'goals:read'],
  },
];
