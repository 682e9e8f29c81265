/**
 * A TCP proxy between one Recur process and PostgreSQL that counts the statements the process
 * sends, read off the wire (PostgreSQL's frontend protocol): a simple query (`Q`) or an extended
 * query's `Execute` (`E`) is one statement. It sees what the server is asked, whatever the driver,
 * the ORM or a prepared statement hides; `pg_stat_statements` would need the shared server restarted.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface StatementCounter {
  /** The database URL to give the process: the same database, through the proxy. */
  url: string;
  /** Statements sent so far. */
  statements(): number;
  close(): Promise<void>;
}

/** Counts the messages of one client → server stream, across TCP chunks. */
class FrontendParser {
  /** The first message (startup) has no type byte. */
  private started = false;
  private pending: Buffer = Buffer.alloc(0);
  count = 0;

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      if (!this.started) {
        if (this.pending.length < 4) return;
        const length = this.pending.readInt32BE(0);
        if (this.pending.length < length) return;
        const code = this.pending.readInt32BE(4);
        // An SSL or GSS request is answered with one byte and followed by the real startup.
        if (code !== 80877103 && code !== 80877104) this.started = true;
        this.pending = this.pending.subarray(length);
        continue;
      }
      if (this.pending.length < 5) return;
      const length = this.pending.readInt32BE(1);
      if (this.pending.length < length + 1) return;
      const type = this.pending[0];
      if (type === 0x51 /* Q */ || type === 0x45 /* E */) this.count++;
      this.pending = this.pending.subarray(length + 1);
    }
  }
}

export async function startStatementCounter(databaseUrl: string): Promise<StatementCounter> {
  const target = new URL(databaseUrl);
  const parsers = new Set<FrontendParser>();
  let closedCount = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const parser = new FrontendParser();
    parsers.add(parser);
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) sockets.add(socket);
    client.on('data', (chunk: Buffer) => {
      parser.push(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      if (parsers.delete(parser)) closedCount += parser.count;
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    statements: () => closedCount + [...parsers].reduce((sum, p) => sum + p.count, 0),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
