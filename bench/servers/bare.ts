// Child process for benchmarks: a bare node:http server answering every request with the same bytes
// (status, headers, body given as JSON in BARE_REPLY), the floor any HTTP server can reach.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const reply = JSON.parse(process.env.BARE_REPLY ?? '{}') as {
  status: number;
  headers: Record<string, string>;
  body: string;
};
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
  });
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
});
