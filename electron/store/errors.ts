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
