// Command-line parsing of the platform (`platform/main.ts`).
import { readFileSync } from 'node:fs'
import type { Account } from './context.js'
import type { PlatformOptions } from './server.js'

/** The command line's help text. */
export const usage = `Usage: node dist/platform.js [options]

  --port N       port to listen on (default: $PORT or 8080; 0 picks a free one)
  --host H       address to listen on (default 127.0.0.1; the admin API is on only for loopback)
  --users FILE   JSON array of users replacing the seeded ones (see platform/README.md)
  --data DIR     keep accounts, conversations, groups and contacts in DIR across restarts
  --tls          serve HTTPS and WSS with a self-signed certificate (also TLS=1)
  --cert F --key F   serve HTTPS and WSS with this certificate and key (PEM files)
  --no-admin     disable the /_admin/ fault-injection API
  --admin-secret S   the secret /_admin/ requests must carry (also $KANDY_ADMIN_SECRET; default: a random one, printed at start)
  --turn         run a TURN server (coturn's turnserver, apt-get install -y coturn) for relayed calls
  --verbose      log every request
  --help         this text
`

/** A parsed command line. */
export interface Cli {
  readonly options: PlatformOptions
  readonly help: boolean
}

/** Parses the command line and environment; throws with a message for bad arguments. */
export function parseArguments(argv: readonly string[], env: NodeJS.ProcessEnv): Cli {
  let port = env.PORT !== undefined && env.PORT !== '' ? Number(env.PORT) : 8080
  let host: string | undefined = env.HOST || undefined
  let users: string | undefined
  let dataDir: string | undefined
  let tls = env.TLS === '1' || env.TLS === 'true'
  let cert: string | undefined
  let key: string | undefined
  let admin: boolean | undefined
  let adminSecret: string | undefined = env.KANDY_ADMIN_SECRET || undefined
  let verbose = false
  let turn = false
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    const value = (): string => {
      const next = argv[++i]
      if (next === undefined || next.startsWith('--')) throw new Error(`${flag} needs a value`)
      return next
    }
    switch (flag) {
      case '--port':
        port = Number(value())
        break
      case '--host':
        host = value()
        break
      case '--users':
        users = value()
        break
      case '--data':
        dataDir = value()
        break
      case '--tls':
        tls = true
        break
      case '--cert':
        cert = value()
        break
      case '--key':
        key = value()
        break
      case '--no-admin':
        admin = false
        break
      case '--admin-secret':
        adminSecret = value()
        break
      case '--verbose':
        verbose = true
        break
      case '--turn':
        turn = true
        break
      case '--help':
      case '-h':
        help = true
        break
      default:
        throw new Error(`unknown option ${flag}`)
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`)
  if ((cert === undefined) !== (key === undefined)) throw new Error('--cert and --key go together')
  const tlsOption = cert !== undefined && key !== undefined ? { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') } : tls
  return {
    help,
    options: { port, host, users, dataDir, tls: tlsOption, admin, adminSecret, turn, logRequests: verbose, log: (line) => console.log(line) },
  }
}

/** Who can log in, without passwords: each user's id, name and number, and where the passwords are kept. */
export function userLines(users: readonly Account[], usersFile: string | undefined): string[] {
  const source = usersFile ?? 'platform/users.json, the seeded users'
  return [`Users (passwords: see ${source}):`, ...users.map((user) => `  ${user.userId}  ${user.firstName} ${user.lastName}  ${user.phoneNumber}`)]
}

/** How to reach the admin API: the secret once when it was made at start, never one the operator chose. */
export function adminLine(secret: string | undefined, chosen: boolean): string {
  if (secret === undefined) return 'Admin API (/_admin/): off'
  if (chosen) return 'Admin API (/_admin/): on, with the secret from --admin-secret / KANDY_ADMIN_SECRET'
  return `Admin API (/_admin/): send "Authorization: Bearer ${secret}" (a secret made for this run; choose your own with --admin-secret or KANDY_ADMIN_SECRET)`
}
