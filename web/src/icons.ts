/**
 * The Element Plus icons the client uses, registered by name: menus (route `meta.icon`), buttons
 * (`icon="Plus"`) and templates (`<OfficeBuilding />`) name them as strings. Registering these few
 * instead of all ~300 keeps ~290 kB out of every page; `icons.test.ts` fails when a source names an
 * icon that is missing here. `import * as ICONS` of this file is the name → component map.
 */
export {
  Aim,
  ArrowDown,
  ArrowLeft,
  ArrowUp,
  Bell,
  Camera,
  Close,
  CopyDocument,
  DataAnalysis,
  Download,
  Expand,
  Flag,
  Fold,
  Guide,
  Iphone,
  Loading,
  Location,
  Lock,
  MapLocation,
  MoreFilled,
  OfficeBuilding,
  Phone,
  Picture,
  Plus,
  Position,
  Refresh,
  Search,
  Share,
  Tickets,
  Trophy,
  Upload,
  UploadFilled,
  User,
  VideoPause,
  VideoPlay,
  WarningFilled,
} from '@element-plus/icons-vue';
