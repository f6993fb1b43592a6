import { CodedError } from '../platform/codedError.js';

/** A scan that cannot run at all. Per-entry problems are never errors: they are SkippedEntry rows. */
export type ScanErrorCode = 'E_SCAN_ROOT_MISSING' | 'E_SCAN_ROOT_NOT_FOLDER' | 'E_SCAN_ROOT_UNREADABLE' | 'E_SCAN_IGNORE_FILE_UNREADABLE';

/** What to do about each code, in English (the log's language); src/i18n/coreRemedies.ts has the Chinese. */
export const SCAN_ERROR_REMEDIES: Readonly<Record<ScanErrorCode, string>> = {
  // An empty scan of a missing root would look like "the user deleted everything".
  E_SCAN_ROOT_MISSING: 'reconnect the drive or fix the mapping\'s local folder; nothing was planned',
  E_SCAN_ROOT_NOT_FOLDER: 'point the mapping at a folder, not a file',
  E_SCAN_ROOT_UNREADABLE: 'give FeiSync read access to the folder (permissions / macOS Full Disk Access)',
  // Scanning without the user's rules could upload what they meant to keep out.
  E_SCAN_IGNORE_FILE_UNREADABLE: 'make the mapping\'s .feisyncignore readable (or remove it); nothing was scanned',
};

export class ScanError extends CodedError<ScanErrorCode> {
  override readonly name = 'ScanError';

  constructor(code: ScanErrorCode, root: string, options?: { cause?: unknown }) {
    super(code, `cannot scan ${root}: ${code}`, SCAN_ERROR_REMEDIES[code], options);
  }
}
