import net from 'node:net';

/** A port SafeForest must listen on, and the environment variable that moves it. */
export type ListenPort = { port: number; variable: string; purpose: string };

/** Thrown when a port is taken: the message is one sentence naming the variable that moves it. */
export class PortInUseError extends Error {}

/** The sentence a newcomer reads when `port` cannot be used. */
export function portProblem(wanted: ListenPort, host: string, code: string | undefined): string {
  const where = `port ${wanted.port}${host === '0.0.0.0' || host === '::' ? '' : ` on ${host}`}`;
  const why = code === 'EACCES' ? 'needs privileges this process lacks' : 'is already in use by another program';
  return `Cannot listen on ${where} (${wanted.purpose}): it ${why}; set ${wanted.variable} to a free port, e.g. ${wanted.variable}=${wanted.port + 1}.`;
}

/**
 * Checks that every port can be listened on before the slow start-up work begins, so a taken
 * port costs a second instead of a database preparation. Port 0 (any free port) is not checked.
 */
export async function assertPortsFree(ports: ListenPort[], host: string): Promise<void> {
  const fixed = ports.filter((p) => p.port !== 0);
  for (const [i, p] of fixed.entries()) {
    const twin = fixed.slice(0, i).find((other) => other.port === p.port);
    if (twin) throw new PortInUseError(`${twin.variable} and ${p.variable} are both ${p.port}; set one of them to another port.`);
  }
  for (const p of fixed) {
    const code = await tryListen(p.port, host);
    if (code) throw new PortInUseError(portProblem(p, host, code));
  }
}

/** Listens on the port and closes again; answers the error code when that fails. */
function tryListen(port: number, host: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'EADDRINUSE'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/** The same sentence for a listen that fails later (another program took the port meanwhile). */
export function asPortError(error: unknown, wanted: ListenPort, host: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES' ? new PortInUseError(portProblem(wanted, host, code)) : error;
}
