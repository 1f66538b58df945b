/** What the UI takes from the store besides the Workspace class: view and input types, and a few plain helpers. */
export { DEFAULT_APPLIANCE } from '../core/appliance/appliance';
export type { ApplianceView, CertificateMaterial, CertificateView, IpView, KeyView, RequestView, WorkspaceView } from './read-model';
export type { CreateCertificateInput, ImportFileInput, ImportFiles, ImportOptions } from './certificates';
export type { ChainStatusUpdate, ListedChainStatus, ListedChainStatuses } from './chain-statuses';
export type { BackgroundWork } from './background-work';
export type { AssignOptions, ClientSoftwareOverride } from './assignment';
export type { ReplaceOptions, ReplacementPreview } from './replacement';
export type { EventPage, EventQuery } from './events';
export type { PathLink } from './certificate-details';
export type { RekeyDraft } from './certificates';
export type { ExpiryPlan, ExpiryStage, LeadTimes } from '../core/appliance/expiry-plan';
export type { RootChange, RootChangeStep, RootChangeStepId } from '../core/appliance/root-change';
export type { EventEntry, EventKind } from '../core/appliance/event-log';
export type { Problem } from '../core/errors';
export type { AppliancePatch } from './appliances';
export type { SoftwareUpdateInput } from './software-update';
export type { ExportChoice, ExportFile, ExportFormat, ExportProgress, ExportSource, ExportStage } from './export';
export type { SupportPackage } from './support-package';
export type { CertificateReview } from './certificate-details';
export type { InternalCaInput } from './internal-ca';
export type { BackupResult } from './backup';
export type { KeyNotIncluded, RestoreSummary } from './contents';
export type { StorageStatus } from './storage';
export type { RecordCounts, StorageLoss } from './safety-copy';
export { describeCounts } from './safety-copy';
export type { AtlasCoverage } from '../core/appliance/atlas';
export type { SubjectInput } from '../core/appliance/certificate-entry';
export type { ImportSummary } from '../core/appliance/import-plan';
export type { ReadinessProblem } from '../core/appliance/readiness';
export type {
  CertificateDescription,
  ChainStatus,
  DescribedExtension,
  DescribedGeneralName,
  KeyAlgorithmName,
  Pkcs12Preset,
  ValidationProblem,
} from './pki-services';
