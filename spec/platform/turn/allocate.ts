// A minimal TURN client (RFC 5766 Allocate with long-term credentials, RFC 5389 MESSAGE-INTEGRITY),
// written here from the RFCs so that the platform's credentials are checked by coturn itself.
import { createHash, createHmac, randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'

const magicCookie = 0x2112a442
const attribute = { username: 0x0006, messageIntegrity: 0x0008, errorCode: 0x0009, realm: 0x0014, nonce: 0x0015, requestedTransport: 0x0019 } as const

function attributeBytes(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4)
  padded.writeUInt16BE(type, 0)
  padded.writeUInt16BE(value.length, 2)
  value.copy(padded, 4)
  return padded
}

function message(type: number, transaction: Buffer, attributes: Buffer[], key?: Buffer): Buffer {
  const body = Buffer.concat(attributes)
  const header = Buffer.alloc(20)
  header.writeUInt16BE(type, 0)
  header.writeUInt32BE(magicCookie, 4)
  transaction.copy(header, 8)
  if (key === undefined) {
    header.writeUInt16BE(body.length, 2)
    return Buffer.concat([header, body])
  }
  // MESSAGE-INTEGRITY covers the message with its length already counting the 24-byte attribute.
  header.writeUInt16BE(body.length + 24, 2)
  const integrity = createHmac('sha1', key).update(Buffer.concat([header, body])).digest()
  return Buffer.concat([header, body, attributeBytes(attribute.messageIntegrity, integrity)])
}

function attributesOf(response: Buffer): Map<number, Buffer> {
  const found = new Map<number, Buffer>()
  let at = 20
  while (at + 4 <= response.length) {
    const type = response.readUInt16BE(at)
    const length = response.readUInt16BE(at + 2)
    found.set(type, response.subarray(at + 4, at + 4 + length))
    at += 4 + Math.ceil(length / 4) * 4
  }
  return found
}

/** The outcome of an Allocate: success, or the TURN error code (401 wrong credentials). */
export type AllocateOutcome = { readonly ok: true } | { readonly ok: false; readonly code: number }

/** Allocates a UDP relay on the TURN server at `host:port` with the given credentials. */
export async function allocate(host: string, port: number, username: string, password: string, limit = 5_000): Promise<AllocateOutcome> {
  const socket = createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  const exchange = (request: Buffer): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const retry = setInterval(() => socket.send(request, port, host), 200)
      const timeout = setTimeout(() => done(new Error(`no TURN answer from ${host}:${port}`)), limit)
      const done = (error?: Error, response?: Buffer): void => {
        clearInterval(retry)
        clearTimeout(timeout)
        socket.removeAllListeners('message')
        if (error !== undefined) reject(error)
        else resolve(response!)
      }
      socket.on('message', (response) => {
        if (response.subarray(8, 20).equals(request.subarray(8, 20))) done(undefined, response)
      })
      socket.send(request, port, host)
    })
  const codeOf = (response: Buffer): number => {
    const error = attributesOf(response).get(attribute.errorCode)
    return error === undefined ? 0 : error[2]! * 100 + error[3]!
  }
  const udp = attributeBytes(attribute.requestedTransport, Buffer.from([17, 0, 0, 0]))
  try {
    const challenge = await exchange(message(0x0003, randomBytes(12), [udp]))
    if (challenge.readUInt16BE(0) === 0x0103) return { ok: true }
    const realm = attributesOf(challenge).get(attribute.realm)
    const nonce = attributesOf(challenge).get(attribute.nonce)
    if (realm === undefined || nonce === undefined) return { ok: false, code: codeOf(challenge) }
    const key = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest()
    const request = message(
      0x0003,
      randomBytes(12),
      [udp, attributeBytes(attribute.username, Buffer.from(username)), attributeBytes(attribute.realm, realm), attributeBytes(attribute.nonce, nonce)],
      key,
    )
    const response = await exchange(request)
    return response.readUInt16BE(0) === 0x0103 ? { ok: true } : { ok: false, code: codeOf(response) }
  } finally {
    socket.close()
  }
}
