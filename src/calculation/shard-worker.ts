import { parentPort } from 'node:worker_threads';
import { computeShard, ComputeOptions, ShardInput } from './shard-compute';

/** A calculation thread: computes shards posted by compute-pool.ts, one at a time, and posts the rows back. */
parentPort?.on('message', async (msg: { id: number; input: ShardInput; opts: ComputeOptions }) => {
  try {
    parentPort?.postMessage({ id: msg.id, result: await computeShard(msg.input, msg.opts) });
  } catch (e) {
    const err = e as Error & { code?: string; details?: unknown };
    parentPort?.postMessage({ id: msg.id, error: { message: err.message, code: err.code, details: err.details, name: err.name } });
  }
});
