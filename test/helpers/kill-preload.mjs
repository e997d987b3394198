// Loaded with `node --import` into a CLI a kill test starts (test/helpers/cli.ts `killOnWrite`): the process
// SIGKILLs itself the moment a write to the data folder matches, so a test can stop it between two of its own
// records (an intent and the audit entry, the audit entry and state.json), where no request to a service falls.
// TAXSYNC_TEST_KILL_ON_WRITE is JSON: { file: regex of the file name, text: regex of what is written,
// when: 'after' (the write is on disk, nothing after it is) or 'before' (not written) }. Test-only; never in the
// product.

import fsp from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';

const spec = process.env.TAXSYNC_TEST_KILL_ON_WRITE;
if (spec) {
  const { file, text, when = 'after' } = JSON.parse(spec);
  const fileRe = new RegExp(file);
  const textRe = new RegExp(text ?? '');
  const die = () => process.kill(process.pid, 'SIGKILL');
  const matches = (path, data) => fileRe.test(String(path)) && textRe.test(String(data));
  const wrap = async (path, data, write) => {
    if (!matches(path, data)) return write();
    if (when === 'before') die();
    const result = await write();
    die();
    return result;
  };
  const open = fsp.open;
  fsp.open = async (path, ...rest) => {
    const handle = await open(path, ...rest);
    const write = handle.write.bind(handle);
    handle.write = (data, ...more) => wrap(path, data, () => write(data, ...more));
    return handle;
  };
  const writeFile = fsp.writeFile;
  fsp.writeFile = (path, data, ...rest) => wrap(path, data, () => writeFile(path, data, ...rest));
  syncBuiltinESMExports();
}
