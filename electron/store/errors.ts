/**
 * A file of the data folder cannot be trusted as it is (damaged, wrong types, missing, or held by another
 * process). The app and the CLI stop and say which file, what is wrong and how to restore it; they never go on
 * with a silently emptied ledger. The CLI exits 2.
 */
export class DataFolderError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly howToRestore: string,
  ) {
    super(`${file}: ${problem}. ${howToRestore}`);
    this.name = 'DataFolderError';
  }
}

/** Why a write failed, in words, for the errors a disk gives (ENOSPC alone says neither what nor where). */
const WRITE_WORDS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EIO: 'the disk reported an input/output error',
  EMFILE: 'too many files are open',
};

/**
 * A file of the data folder (or an export) could not be written. The message names the file and the reason in
 * words; the previous version of the file is whole (appends are cut back to their last whole line, rewrites go
 * through a temp file that is removed), so nothing already recorded is lost.
 */
export class WriteFailedError extends Error {
  readonly code?: string;

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const code = (cause as NodeJS.ErrnoException)?.code;
    const why =
      code && WRITE_WORDS[code] ? `${WRITE_WORDS[code]} (${code})` : ((cause as Error)?.message ?? String(cause));
    super(
      `Could not write ${file}: ${why}. What was written before is kept whole; free some space (or fix the cause) and run again`,
    );
    this.name = 'WriteFailedError';
    this.code = code;
  }
}
