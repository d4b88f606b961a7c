// Child process for benchmarks: the sandbox on a free port with the demo seed; prints its URL.
import { loadSeed } from '../../sandbox/seeds';
import { startSandbox } from '../../sandbox/server';

startSandbox({ seed: loadSeed('demo') }).then((sandbox) => {
  console.log(sandbox.url);
  process.on('SIGTERM', () => sandbox.stop().then(() => process.exit(0)));
});
