/**
 * A lean HTTP/1.1 keep-alive connection for load generation: one request at a time, responses read
 * by Content-Length (what Fastify sends). Node's http client costs several times more CPU per
 * request, and on a 2-core machine every cycle the client spends is taken from the server.
 */
import net from 'node:net';

export type Reply = { status: number; body: string };

const HEADER_END = Buffer.from('\r\n\r\n');

export class Connection {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private readonly ready: Promise<void>;
  private closed: Error | null = null;

  constructor(host: string, port: number) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (error: Error) => {
      this.closed = error;
      this.waiting?.reject(error);
      this.waiting = null;
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed')));
  }

  /** Sends a GET for `path`; answers the status and body. */
  get(path: string): Promise<Reply> {
    return this.send(`GET ${path} HTTP/1.1\r\nHost: bench\r\n\r\n`);
  }

  /** Sends a JSON body (already serialised) with POST; `cookie`, when given, signs the request in. */
  postJson(path: string, body: string, cookie?: string): Promise<Reply> {
    const auth = cookie ? `Cookie: ${cookie}\r\n` : '';
    const head = `POST ${path} HTTP/1.1\r\nHost: bench\r\n${auth}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    return this.send(head + body);
  }

  private async send(request: string): Promise<Reply> {
    await this.ready;
    if (this.closed) throw this.closed;
    if (this.waiting) throw new Error('one request at a time on a connection');
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(request);
    });
  }

  private onData(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const end = this.buffer.indexOf(HEADER_END);
    if (end < 0) return;
    const head = this.buffer.subarray(0, end).toString('latin1');
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      this.waiting?.reject(new Error(`response without Content-Length: ${head.slice(0, 200)}`));
      this.waiting = null;
      this.socket.destroy();
      return;
    }
    const total = end + 4 + Number(length[1]);
    if (this.buffer.length < total) return;
    const status = Number(head.slice(9, 12));
    const body = this.buffer.subarray(end + 4, total).toString('utf8');
    this.buffer = this.buffer.subarray(total);
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve({ status, body });
  }

  close() {
    this.socket.destroy();
  }
}
