import { CodedError } from '../platform/codedError.js';

/** Every failure of the local index, with a code and a one-line remedy. */
export type IndexErrorCode =
  /** The file was written by a newer FeiSync (schema version above what this build knows). */
  | 'E_INDEX_NEWER'
  /** The file is a SQLite database, but not a FeiSync index. */
  | 'E_INDEX_FOREIGN'
  /** The file could not be opened (permissions, missing folder, locked). */
  | 'E_INDEX_OPEN'
  /** A migration failed; the index is left at its previous version. */
  | 'E_INDEX_MIGRATION'
  /** A block was acknowledged for an upload the index does not know. */
  | 'E_INDEX_NO_UPLOAD'
  /** A record is malformed (bad path, negative size, …). */
  | 'E_INDEX_RECORD'
  /** SQLite reads the file, but what FeiSync stored in it is damaged (a packed record blob). */
  | 'E_INDEX_CORRUPT';

/** What to do about each code, in English (the log's language); src/i18n/coreRemedies.ts has the Chinese. */
export const INDEX_ERROR_REMEDIES: Readonly<Record<IndexErrorCode, string>> = {
  E_INDEX_NEWER: 'update FeiSync to the newest version, or point FEISYNC_STATE_DIR at a fresh folder',
  E_INDEX_FOREIGN: 'move that file away or set FEISYNC_STATE_DIR to another folder; FeiSync will not overwrite it',
  E_INDEX_OPEN: 'check that the state folder exists and is writable, and that no other FeiSync is holding it',
  E_INDEX_MIGRATION: 'report this bug with the log; the index was left unchanged, an older FeiSync can still use it',
  E_INDEX_NO_UPLOAD: 'restart the chunked upload (upload_prepare); this is a bug if it repeats',
  E_INDEX_RECORD: 'this is a bug in the caller: fix the record before writing it',
  E_INDEX_CORRUPT:
    'quit FeiSync and move index.db (in the state folder) aside; the next start rebuilds it from a scan and a Feishu listing without uploading files again',
};

export class IndexError extends CodedError<IndexErrorCode> {
  override readonly name = 'IndexError';

  constructor(code: IndexErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, INDEX_ERROR_REMEDIES[code], options);
  }
}
