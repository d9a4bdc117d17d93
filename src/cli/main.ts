#!/usr/bin/env node
// The CLI's entry point. It loads next to nothing before it knows where the command runs: when a running service
// holds the embedded store, the command line goes to that service (remote/); otherwise the commands load and run here.
import { loadConfig } from '../infra/env';
import { forward, serviceHoldingStore } from './remote/control-client';

export async function main(argv: string[]): Promise<number> {
  const control = serviceHoldingStore(loadConfig());
  if (control) return forward(control, argv);
  const { runCli } = await import('./run-cli');
  return runCli(argv);
}

if (require.main === module) {
  // `npm run cli -- periods | head`: a reader that stops early is not an error
  for (const stream of [process.stdout, process.stderr]) stream.on('error', (e: NodeJS.ErrnoException) => (e.code === 'EPIPE' ? process.exit(0) : undefined));
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(1);
    },
  );
}
