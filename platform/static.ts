import { existsSync, readFileSync, statSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { dirname, extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Account } from './context.js'

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
}

/**
 * The repository root: one level above this module, which is `platform/static.ts` under tsx
 * and `dist/platform.js` once bundled; the working directory when that is not a checkout.
 */
export function repositoryRoot(): string {
  try {
    const above = resolve(dirname(fileURLToPath(import.meta.url)), '..')
    if (existsSync(join(above, 'package.json'))) return above
  } catch {
    // Not an ES module file URL (e.g. bundled to CommonJS): fall through.
  }
  return process.cwd()
}

/** What the built-in home page shows. */
export interface HomeInfo {
  readonly users: readonly Account[]
  readonly url: string
}

/**
 * The static files of `npm start`: `/` (the browser sample, or a built-in page), `/kandy-rx.js`
 * (the IIFE build), `/samples/...`, `/dist/...`, and the browser sample's own files at the top
 * level so that its relative links work. Returns false when it has nothing for the path.
 */
export function staticFiles(root: string, home: (request: IncomingMessage) => HomeInfo): (request: IncomingMessage, response: ServerResponse, headers: Record<string, string>) => boolean {
  const sample = join(root, 'samples', 'browser')
  return (request, response, headers) => {
    const rawPath = (request.url ?? '/').split('?')[0]!
    let parts: string[]
    try {
      parts = rawPath.split('/').filter((part) => part !== '').map((part) => decodeURIComponent(part))
    } catch {
      return false
    }
    if (parts.some((part) => part === '..' || part === '.' || part.includes('/') || part.includes('\\') || part.includes('\0'))) return false
    if (parts.length === 0 || (parts.length === 1 && parts[0] === 'index.html')) {
      const index = join(sample, 'index.html')
      if (existsSync(index)) return serveFile(index, request, response, headers)
      return serveText(homePage(home(request)), 'text/html; charset=utf-8', request, response, headers)
    }
    const [first, ...rest] = parts
    if (first === 'kandy-rx.js' || first === 'kandy-rx.js.map') return serveUnder(join(root, 'dist'), [first, ...rest], request, response, headers)
    if (first === 'samples') return serveUnder(join(root, 'samples'), rest, request, response, headers)
    if (first === 'dist') return serveUnder(join(root, 'dist'), rest, request, response, headers)
    return serveUnder(sample, parts, request, response, headers)
  }
}

function serveUnder(base: string, parts: readonly string[], request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): boolean {
  let file = resolve(base, ...parts)
  if (file !== base && !file.startsWith(base + sep)) return false
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html')
  } catch {
    return false
  }
  return serveFile(file, request, response, headers)
}

function serveFile(file: string, request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): boolean {
  let content: Buffer
  try {
    content = readFileSync(file)
  } catch {
    return false
  }
  return serveText(content, contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream', request, response, headers)
}

function serveText(content: Buffer | string, type: string, request: IncomingMessage, response: ServerResponse, headers: Record<string, string>): true {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content)
  response.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': String(body.length), 'Cache-Control': 'no-cache' })
  response.end(request.method === 'HEAD' ? undefined : body)
  return true
}

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

function homePage({ users, url }: HomeInfo): string {
  const rows = users
    .map((user) => `<tr><td>${escape(user.userId)}</td><td>${escape(`${user.firstName} ${user.lastName}`)}</td><td>${escape(user.phoneNumber)}</td></tr>`)
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>kandy-rx platform</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:48rem}td,th{padding:.2rem .8rem;text-align:left}code{background:#eee;padding:0 .2rem}</style>
</head><body>
<h1>The kandy-rx platform is running</h1>
<p>REST and WebSocket at <code>${escape(url)}</code>. The SDK bundle is at <a href="/kandy-rx.js">/kandy-rx.js</a> (build it with <code>npm run build</code>).</p>
<h2>Users</h2>
<p>Their passwords are in the users file the platform was started with (<code>platform/users.json</code> by default).</p>
<table><tr><th>User</th><th>Name</th><th>Phone</th></tr>
${rows}
</table>
<h2>Log in</h2>
<pre>curl -X POST ${escape(url)}/cpaas/auth/v1/token \\
  -d grant_type=password -d client_id=kandy-rx -d scope=openid \\
  -d username=${escape(users[0]?.userId ?? 'alice@example.com')} --data-urlencode password=YOUR_PASSWORD</pre>
<p>Then <code>client.setTokens({ accessToken: access_token, idToken: id_token })</code>.</p>
</body></html>
`
}
