// coturn (`turnserver`) as a child process of the platform: started with the TURN REST API shared
// secret, watched (a coturn that dies is reported and started again), stopped with the platform.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/** How to get coturn when it is missing, in one line. */
export const coturnHint = 'TURN needs coturn: apt-get install -y coturn (its binary is turnserver)'

/** True when `turnserver` can be run (on the PATH, or at `binary`). */
export function coturnAvailable(binary = 'turnserver'): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0
}

export interface CoturnOptions {
  /** Default `turnserver` (from the PATH). */
  readonly binary?: string
  /** Address coturn listens on and relays from (loopback for the local platform). */
  readonly host: string
  /** The TURN REST API shared secret (`static-auth-secret`). */
  readonly secret: string
  readonly realm: string
  /** Lifecycle lines (started, died, restarting). */
  readonly log: (line: string) => void
  /** coturn's own output, line by line (debug level). */
  readonly debug: (line: string) => void
}

/** A running coturn: its listening port stays the same across restarts. */
export interface Coturn {
  readonly port: number
  readonly running: boolean
  readonly pid: number | undefined
  /** How many times coturn died and was started again. */
  readonly restarts: number
  /** Stops coturn and starts it again (every allocation is lost); resolves once it answers. */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** How long coturn may take to answer its first STUN request. */
const readyLimit = 10_000
/** Waits before starting a coturn that died: doubling from the first, capped at the second. */
const respawnDelay = { first: 250, max: 5_000 }

/** A free UDP port on `host` (bound then released; coturn takes it a moment later). */
export function freeUdpPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4')
    socket.once('error', reject)
    socket.bind(0, host, () => {
      const { port } = socket.address()
      socket.close(() => resolve(port))
    })
  })
}

/** A STUN Binding request (RFC 5389): 20 bytes, no attributes. */
function bindingRequest(): Buffer {
  const message = Buffer.alloc(20)
  message.writeUInt16BE(0x0001, 0)
  message.writeUInt32BE(0x2112a442, 4)
  for (let i = 8; i < 20; i++) message[i] = Math.floor(Math.random() * 256)
  return message
}

/** Resolves once a STUN server at host:port answers a Binding request; rejects after `limit` ms. */
export function stunAnswers(host: string, port: number, limit: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4')
    const send = (): void => socket.send(bindingRequest(), port, host)
    const retry = setInterval(send, 50)
    const timeout = setTimeout(() => finish(new Error(`no STUN answer from ${host}:${port} within ${limit} ms`)), limit)
    const finish = (error?: Error): void => {
      clearInterval(retry)
      clearTimeout(timeout)
      socket.close()
      if (error === undefined) resolve()
      else reject(error)
    }
    socket.on('message', (message) => {
      if (message.length >= 20 && message.readUInt16BE(0) === 0x0101) finish()
    })
    socket.on('error', () => undefined)
    socket.bind(0, host, send)
  })
}

/** coturn's command line: no configuration file, everything under `directory`, loopback peers allowed. */
function coturnArguments(options: CoturnOptions, port: number, relayPorts: { min: number; max: number }, directory: string): string[] {
  return [
    '-n',
    '--listening-ip', options.host,
    '--listening-port', String(port),
    '--relay-ip', options.host,
    '--min-port', String(relayPorts.min),
    '--max-port', String(relayPorts.max),
    '--use-auth-secret',
    '--static-auth-secret', options.secret,
    '--realm', options.realm,
    '--fingerprint',
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--no-tcp',
    '--no-tcp-relay',
    '--allow-loopback-peers',
    '--no-multicast-peers',
    '--no-software-attribute',
    '--log-file', 'stdout',
    '--simple-log',
    '--pidfile', join(directory, 'turnserver.pid'),
    '--userdb', join(directory, 'turndb'),
  ]
}

/** A random window of 200 ports for relay endpoints, so that two platforms on one host rarely meet. */
function relayPortWindow(): { min: number; max: number } {
  const min = 49_152 + Math.floor(Math.random() * 80) * 200
  return { min, max: min + 199 }
}

/** Runs coturn with its output passed to `debug`, and a failure to run logged. */
function spawnLogged(args: string[], options: CoturnOptions): ChildProcess {
  const server = spawn(options.binary ?? 'turnserver', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  for (const stream of [server.stdout, server.stderr]) createInterface({ input: stream }).on('line', (line) => options.debug(line))
  server.once('error', (error) => options.log(`turn server could not run: ${error.message}`))
  return server
}

/** Stops a process (SIGTERM, then SIGKILL after 2 s); resolves once it has exited. */
function stopped(server: ChildProcess | undefined): Promise<void> {
  if (server === undefined || server.exitCode !== null || server.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => server.kill('SIGKILL'), 2_000)
    server.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    server.kill('SIGTERM')
  })
}

/** Starts coturn and resolves once it answers STUN; throws (with `coturnHint`) when it cannot run. */
export async function startCoturn(options: CoturnOptions): Promise<Coturn> {
  if (!coturnAvailable(options.binary ?? 'turnserver')) throw new Error(coturnHint)
  const directory = mkdtempSync(join(tmpdir(), 'kandy-rx-turn-'))
  const port = await freeUdpPort(options.host)
  const relayPorts = relayPortWindow()
  let child: ChildProcess | undefined
  let running = false
  let stopping = false
  let restarts = 0
  let respawn: ReturnType<typeof setTimeout> | undefined
  let delay = respawnDelay.first

  const launch = async (): Promise<void> => {
    const server = spawnLogged(coturnArguments(options, port, relayPorts, directory), options)
    child = server
    server.once('exit', (code, signal) => exited(server, code, signal))
    await stunAnswers(options.host, port, readyLimit)
    if (child !== server) return
    running = true
    delay = respawnDelay.first
    options.log(`turn server (coturn, pid ${server.pid}) listening on ${options.host}:${port}`)
  }

  /** A coturn we did not stop is reported and started again, with backoff. */
  const exited = (server: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void => {
    if (child !== server) return
    running = false
    child = undefined
    if (stopping) return
    options.log(`turn server died (${signal ?? `exit code ${code}`}); starting it again in ${delay} ms`)
    respawn = setTimeout(() => {
      respawn = undefined
      restarts += 1
      launch().catch((error: unknown) => options.log(`turn server did not start again: ${(error as Error).message}`))
    }, delay)
    delay = Math.min(delay * 2, respawnDelay.max)
  }

  /** Stops the current coturn; resolves once it has exited. */
  const kill = (): Promise<void> => {
    const server = child
    child = undefined
    running = false
    return stopped(server)
  }

  const shutDown = async (): Promise<void> => {
    stopping = true
    clearTimeout(respawn)
    await kill()
    rmSync(directory, { recursive: true, force: true })
  }
  try {
    await launch()
  } catch (error) {
    await shutDown()
    throw error
  }

  return {
    port,
    get running() {
      return running
    },
    get pid() {
      return running ? child?.pid : undefined
    },
    get restarts() {
      return restarts
    },
    restart: async () => {
      if (stopping) return
      clearTimeout(respawn)
      await kill()
      options.log('turn server restarting: every allocation is lost')
      await launch()
    },
    stop: shutDown,
  }
}
