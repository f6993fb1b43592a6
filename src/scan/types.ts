/** What the scanner reports about one local entry. Paths are relative to the mapping root, '/'-separated, NFC. */
export interface LocalFile {
  kind: 'file';
  relPath: string;
  size: number;
  /** mtime in nanoseconds (bigint: a number of ns overflows double precision). */
  mtimeNs: bigint;
  /** inode (POSIX) or file id (Windows), as a string to keep 64-bit values exact. */
  ino: string;
  /**
   * Content hash (hex), set by the scanner only when (size, mtime, inode)
   * differ from the index: the change test that saves quota on `touch`.
   */
  hash?: string;
  /**
   * The path as spelled on disk, only when it differs from the NFC relPath
   * (an NFD name on Linux): open the file with this one.
   */
  diskRelPath?: string;
}

export interface LocalFolder {
  kind: 'folder';
  relPath: string;
  /** As for LocalFile: the on-disk spelling when it differs from relPath. */
  diskRelPath?: string;
}

/** An entry the scanner saw but will not sync, with the reason. */
export interface SkippedEntry {
  relPath: string;
  reason: SkipReason;
  detail?: string;
}

export type SkipReason =
  | 'symlink'
  | 'permission-denied'
  | 'vanished'
  | 'special-file'
  | 'ignored'
  | 'empty-file'
  | 'name-too-long'
  | 'file-too-large'
  | 'too-many-siblings'
  | 'too-deep'
  | 'remote-rejected';

export interface ScanResult {
  files: Map<string, LocalFile>;
  folders: Map<string, LocalFolder>;
  skipped: SkippedEntry[];
}
