import { describe, expect, it } from 'vitest';
import { checkTree, cycles, importsOf, refusal, writerProblem } from '../../scripts/lint/layers.js';

/** The layers the code may not cross, as `npm run lint` checks them (scripts/lint/layers.ts). */
describe('the layering check', () => {
  it('refuses an import that runs back up, and the crossings the design names', () => {
    expect(refusal('electron/engine/decide.ts', 'electron/app/handlers.ts')).toMatch(/points down/);
    expect(refusal('electron/engine/decide.ts', 'electron/month/classify.ts')).toMatch(/engine\/ never imports month/);
    expect(refusal('electron/jobs/repair.ts', 'electron/app/workspace.ts')).toMatch(/points down/);
    expect(refusal('electron/store/ledger.ts', 'electron/engine/decide.ts')).toMatch(/points down/);
    expect(refusal('renderer/src/app.tsx', 'electron/app/handlers.ts')).toMatch(/renderer knows only/);
    expect(refusal('electron/engine/steps.ts', 'electron/sandbox/index.ts')).toMatch(/start the sandboxes/);
    expect(refusal('electron/sandbox/visma-server.ts', 'electron/engine/decide.ts')).toMatch(/stand apart/);
    for (const [from, to] of [
      ['electron/month/classify.ts', 'electron/engine/compare.ts'],
      ['electron/jobs/repair.ts', 'electron/engine/decide.ts'],
      ['electron/app/workspace.ts', 'electron/sandbox/index.ts'],
      ['electron/cli.ts', 'electron/app/workspace.ts'],
      ['renderer/src/app.tsx', 'shared/month.ts'],
      ['electron/sandbox/visma-server.ts', 'electron/connectors/visma/types.ts'],
    ])
      expect(refusal(from!, to!), `${from} → ${to}`).toBeUndefined();
  });

  it('finds cycles, and reads every kind of import', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    const text = `import { x } from './x.js';\nexport { y } from '../y.js';\nimport type { Z } from './z.js';\nconst m = await import('./m.js');\nimport fs from 'node:fs';`;
    expect(importsOf('electron/engine/a.ts', text)).toEqual([
      'electron/engine/x.ts',
      'electron/y.ts',
      'electron/engine/z.ts',
      'electron/engine/m.ts',
    ]);
  });

  it('only the recorder (and the store) writes ledger rows and audit entries', () => {
    expect(writerProblem('electron/month/month-end.ts', 'await ctx.store.ledger.put({ ...row })')).toMatch(/recorder/);
    expect(writerProblem('electron/app/handlers.ts', 'ws().store.audit.append({})')).toMatch(/recorder/);
    expect(writerProblem('electron/engine/recorder.ts', 'await ctx.store.ledger.put(row)')).toBeUndefined();
    expect(writerProblem('electron/store/index.ts', 'this.audit.append(x)')).toBeUndefined();
    expect(writerProblem('electron/month/backfill.ts', 'await ctx.store.ledger.get(key)')).toBeUndefined();
  });

  it('the tree keeps to them', () => {
    expect(checkTree(process.cwd())).toEqual([]);
  });
});
