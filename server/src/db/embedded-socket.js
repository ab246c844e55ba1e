// The wire-protocol front of the embedded database: serves PGlite's single backend session to
// several `pg` connections on a loopback port. Plain JavaScript because it runs in the worker thread.
//
// It replaces @electric-sql/pglite-socket's server, which breaks the PostgreSQL protocol in two
// ways that together let one failed query take the whole process down:
//  - PGlite answers an extended-protocol message that fails (a Bind whose text holds U+0000, say)
//    with ErrorResponse *and* an early ReadyForQuery, then a second ReadyForQuery at Sync. `pg`
//    takes the first as the end of the query and the second as the end of the next one (inside a
//    transaction: the ROLLBACK), whose own CommandComplete then arrives unexpected — an 'error'
//    event on a checked-out client, which no one listens to, so the process exits.
//  - It queues single messages of all connections into the one session, so the Parse/Bind/Sync
//    of two connections can interleave on the shared unnamed statement.
// Here a connection's messages run as one unit up to Sync (or Query, Flush, CopyDone, CopyFail),
// a unit answers with exactly the ReadyForQuery the protocol promises, and while a connection is
// inside a transaction (or between Flush and Sync, or in COPY) the session is its alone.
import net from 'node:net';

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
const READY_FOR_QUERY = 0x5a; // 'Z'
/** Frontend messages after which the backend answers: Sync, Query, CopyDone, CopyFail, Flush. */
const ANSWERED_WITH_READY = new Set(['S', 'Q', 'c', 'f']);
const FLUSH = 'H';
const TERMINATE = 'X';

/**
 * Keeps only the ReadyForQuery messages the protocol allows in the backend's answer to one unit:
 * the last one after Sync/Query/CopyDone/CopyFail, none after Flush.
 */
export function protocolAnswer(output, keepLastReady) {
  const messages = [];
  let lastReady = -1;
  for (let at = 0; at + 5 <= output.length; ) {
    const end = at + 1 + output.readInt32BE(at + 1);
    if (output[at] === READY_FOR_QUERY) lastReady = messages.length;
    messages.push({ at, end, ready: output[at] === READY_FOR_QUERY });
    at = end;
  }
  const kept = messages.filter((m, i) => !m.ready || (keepLastReady && i === lastReady));
  if (kept.length === messages.length) return output;
  return Buffer.concat(kept.map((m) => output.subarray(m.at, m.end)));
}

/** Serves `db` on host:port (0 = any free port); answers the server and its address. */
export async function serveEmbedded(db, { host = '127.0.0.1', port = 0, log = () => {} } = {}) {
  const units = []; // { connection, bytes, terminator } | { connection, cleanup: true }
  let owner = null; // the connection the session belongs to until it is idle again
  let running = null; // the unit being executed
  const connections = new Set();

  function schedule() {
    if (running) return;
    const index = units.findIndex((u) => owner === null || u.connection === owner);
    if (index < 0) return;
    const [unit] = units.splice(index, 1);
    running = unit;
    run(unit)
      .catch((error) => {
        log(`embedded database: ${error?.stack ?? error}`);
        // The session's state is unknown: the connection is closed and its cleanup ends whatever it began.
        owner = unit.connection;
        unit.connection.socket.destroy();
      })
      .finally(() => {
        running = null;
        schedule();
      });
  }

  async function run(unit) {
    if (unit.cleanup) {
      // A connection that left mid-transaction or mid-sequence: end what it started.
      await db.runExclusive(async () => {
        await db.execProtocolRawStream(new Uint8Array(message('S', Buffer.alloc(0))), { onRawData: () => {} });
        const rollback = Buffer.from('ROLLBACK\0', 'utf8');
        if (db.isInTransaction()) await db.execProtocolRawStream(new Uint8Array(message('Q', rollback)), { onRawData: () => {} });
      });
      owner = null;
      return;
    }
    const chunks = [];
    await db.runExclusive(() =>
      db.execProtocolRawStream(new Uint8Array(unit.bytes), { onRawData: (data) => chunks.push(Buffer.from(data)) }),
    );
    const output = Buffer.concat(chunks);
    const answered = ANSWERED_WITH_READY.has(unit.terminator);
    const answer = unit.terminator === null ? output : protocolAnswer(output, answered);
    if (!unit.connection.socket.destroyed && answer.length) unit.connection.socket.write(answer);
    const idle = (answered || unit.terminator === null) && output.at(-6) === READY_FOR_QUERY && !db.isInTransaction();
    owner = idle ? null : unit.connection;
    if (!connections.has(unit.connection) && owner === unit.connection) units.unshift({ connection: unit.connection, cleanup: true });
  }

  function accept(socket) {
    socket.setNoDelay(true);
    const connection = { socket, buffer: Buffer.alloc(0), started: false, pending: [] };
    connections.add(connection);
    socket.on('data', (data) => {
      connection.buffer = connection.buffer.length ? Buffer.concat([connection.buffer, data]) : data;
      try {
        readMessages(connection);
      } catch (error) {
        log(`embedded database: ${error.message}`);
        socket.destroy();
      }
      schedule();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      connections.delete(connection);
      for (let i = units.length - 1; i >= 0; i--) if (units[i].connection === connection) units.splice(i, 1);
      // A unit of its own still running adds the cleanup when it ends (below, in run).
      if (owner === connection && running?.connection !== connection) units.unshift({ connection, cleanup: true });
      schedule();
    });
  }

  /** Cuts the connection's bytes into units; a unit ends where the backend owes an answer. */
  function readMessages(connection) {
    const { socket } = connection;
    while (connection.buffer.length >= 4) {
      const buffer = connection.buffer;
      if (!connection.started) {
        const length = buffer.readInt32BE(0);
        if (length < 8 || length > 10_000) throw new Error('malformed startup message');
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        const startup = buffer.subarray(0, length);
        connection.buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) socket.write('N');
        else if (code === CANCEL_REQUEST) socket.end();
        else if (code === PROTOCOL_3) {
          connection.started = true;
          units.push({ connection, bytes: Buffer.from(startup), terminator: null });
        } else throw new Error(`unsupported protocol ${code}`);
        continue;
      }
      if (buffer.length < 5) return;
      const end = 1 + buffer.readInt32BE(1);
      if (end < 5) throw new Error('malformed message');
      if (buffer.length < end) return;
      const type = String.fromCharCode(buffer[0]);
      const bytes = buffer.subarray(0, end);
      connection.buffer = buffer.subarray(end);
      if (type === TERMINATE) {
        socket.end();
        return;
      }
      connection.pending.push(bytes);
      if (ANSWERED_WITH_READY.has(type) || type === FLUSH) {
        units.push({ connection, bytes: Buffer.concat(connection.pending), terminator: type });
        connection.pending = [];
      }
    }
  }

  const server = net.createServer(accept);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    address: `${host}:${address.port}`,
    async stop() {
      for (const connection of connections) connection.socket.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
      while (running) await new Promise((resolve) => setTimeout(resolve, 10));
    },
  };
}

function message(type, body) {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
}
