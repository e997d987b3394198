import { type FlowTask, runFlow } from './flows.js';
import { serve } from './rpc.js';

/** The scripts our engine is measured against (flows.ts), each run in a process of its own. */
serve({
  naive: (task: FlowTask) => runFlow(task, 'naive'),
  reference: (task: FlowTask) => runFlow(task, 'reference'),
  async exit() {
    setImmediate(() => process.exit(0));
  },
});
