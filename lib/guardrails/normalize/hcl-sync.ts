/**
 * `@cdktf/hcl2json` called synchronously, for the cdktf aspect: cdktf's validations are synchronous, and hcl2json
 * parses in WebAssembly behind a promise. The parse runs in a worker thread while this thread waits on a shared flag
 * (`Atomics.wait`); the worker posts its answer on a message port before raising the flag, and this thread reads it
 * from the port (`receiveMessageOnPort`). One worker per call, terminated afterwards: nothing is kept between calls.
 *
 * Internal module of the Terraform readers; `hcl.ts` checks the text before and the result after, as for the
 * asynchronous parse.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'worker_threads';

/** What the worker answers for one file: hcl2json's JSON, or its error message. */
export type RawHclParse = { readonly json: Record<string, unknown> } | { readonly error: string };

/** How long the aspect waits for the worker: starting it and the WebAssembly runtime takes well under a second. */
const TIMEOUT_MS = 60_000;

// CommonJS run by the worker (`eval`): parse each file in turn, post the answers, then raise the flag.
const WORKER_SOURCE = `
const { workerData } = require('worker_threads');
const flag = new Int32Array(workerData.shared);
(async () => {
  const { parse } = require(workerData.parser);
  const answers = [];
  for (const f of workerData.files) {
    try {
      answers.push({ json: await parse(f.name, f.text) });
    } catch (e) {
      answers.push({ error: String((e && e.message) || e) });
    }
  }
  workerData.port.postMessage({ answers });
})().catch((e) => workerData.port.postMessage({ failed: String((e && e.message) || e) })).finally(() => {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/**
 * Parses `files` (name as hcl2json reports it, and text) with hcl2json in a worker, waiting for the answers. Throws an
 * `Error` naming the reason when the worker cannot answer (it failed to start the parser, or timed out).
 */
export function parseHclWithWorker(files: readonly { readonly name: string; readonly text: string }[]): RawHclParse[] {
  const shared = new SharedArrayBuffer(4);
  const flag = new Int32Array(shared);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { shared, port: port2, parser: require.resolve('@cdktf/hcl2json'), files: files.map((f) => ({ name: f.name, text: f.text })) },
    transferList: [port2],
  });
  worker.unref();
  try {
    const waited = Atomics.wait(flag, 0, 0, TIMEOUT_MS);
    const message = receiveMessageOnPort(port1)?.message as { answers?: RawHclParse[]; failed?: string } | undefined;
    if (waited === 'timed-out') throw new Error(`the HCL parser did not answer within ${TIMEOUT_MS / 1000} s`);
    if (message?.answers === undefined) throw new Error(`the HCL parser failed: ${message?.failed ?? 'no answer'}`);
    return message.answers;
  } finally {
    port1.close();
    void worker.terminate();
  }
}
