// Worker thread entry: computes one block per message (see runBlocks.ts).
import { parentPort } from 'node:worker_threads';
import { computeBlock, type BlockTask } from './computeBlock.js';

parentPort!.on('message', (task: BlockTask) => {
  try {
    const rows = computeBlock(task);
    parentPort!.postMessage({ rows }, [rows.buffer as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ error: String((e as Error)?.message ?? e) });
  }
});
parentPort!.postMessage('ready');
