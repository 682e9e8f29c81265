import net from 'node:net';

/**
 * A loopback TCP proxy in front of a broker, for tests that need to take the network away: `cut()`
 * destroys every open connection at once (what a broker restart or a dropped link looks like to a
 * client), and `refuse()` makes new connections fail until `accept()`, which is an outage.
 */
export class TcpProxy {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #refusing = false;

  private constructor(
    server: net.Server,
    readonly port: number,
  ) {
    this.#server = server;
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (client) => proxy.#pipe(client, target));
    return proxy;
  }

  /** How many client connections are open through the proxy right now. */
  get connections(): number {
    return this.#sockets.size / 2;
  }

  cut(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  refuse(): void {
    this.#refusing = true;
    this.cut();
  }

  accept(): void {
    this.#refusing = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #pipe(client: net.Socket, target: { host: string; port: number }): void {
    if (this.#refusing) {
      client.destroy();
      return;
    }
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
