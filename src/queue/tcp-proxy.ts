import net from 'node:net';

/**
 * A loopback TCP proxy in front of a broker, for tests that need to take the network away: `cut()`
 * destroys every open connection at once (what a broker restart or a dropped link looks like to a
 * client), and `refuse()` also stops listening, so that connecting fails with ECONNREFUSED as it
 * does while a broker is down, until `accept()` listens on the same port again.
 */
export class TcpProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();

  private constructor(
    server: net.Server,
    readonly port: number,
  ) {
    this.#server = server;
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer();
    await listen(server, 0);
    const proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client) => proxy.#pipe(client, target));
    return proxy;
  }

  cut(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  async refuse(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.cut();
    await closed;
  }

  async accept(): Promise<void> {
    await listen(this.#server, this.port);
  }

  async close(): Promise<void> {
    if (this.#server.listening) await this.refuse();
    else this.cut();
  }

  #pipe(client: net.Socket, target: { host: string; port: number }): void {
    const upstream = net.connect(target.port, target.host);
    for (const [socket, peer] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.#sockets.add(socket);
      socket.pipe(peer);
      // Either side going away takes the other with it, as a real network failure would.
      socket.on('error', () => peer.destroy());
      socket.on('close', () => {
        this.#sockets.delete(socket);
        peer.destroy();
      });
    }
  }
}

function listen(server: net.Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
