import type { Account, PlatformContext, PlatformReply } from '../../context.js'
import { notFound, policyError, serviceError } from '../../context.js'
import { UploadRootFields } from '../../../streams/messaging/codecs.js'

/** Largest file a chat message may carry, in bytes (uploads above it get 413). */
export const fileSizeLimit = 10 * 1024 * 1024

interface StoredFile {
  readonly id: string
  /** userId of the uploader (the `<userId>` segment of its link). */
  readonly owner: string
  readonly name: string
  readonly contentType: string
  readonly size: number
  /** The bytes, base64. */
  readonly data: string
  /** userIds allowed to download besides the owner: everyone a message carrying it went to. */
  readonly readers: string[]
}

interface FilesData {
  readonly files: Record<string, StoredFile>
}

/** An attachment as history and notifications carry it (`notifications.md` §5.1). */
export interface WireAttachment {
  readonly link: string
  readonly name: string
  readonly size: number
  readonly 'x-id': string
  readonly 'content-type': string
}

const badPart = (what: string): PlatformReply => serviceError(400, 'SVC0002', 'Invalid input value for message part %1', [what])

/**
 * Chat file attachments (`messaging.md` §3.3–§3.4): multipart upload to
 * `/cpaas/nms/v1/chat/<userId>/objects`, download by link with the bearer token of the owner or
 * of anyone a message carrying the file went to (other users get 403, unknown ids 404; ids are
 * random UUIDs). Files persist with the platform's other state.
 */
export function messagingFiles(ctx: PlatformContext) {
  const store = ctx.persisted<FilesData>('messaging-files', () => ({ files: {} }))
  const { files } = store.value
  const fileOf = (id: string): StoredFile | undefined => (Object.hasOwn(files, id) ? files[id] : undefined)

  const linkOf = (file: StoredFile): string => `${ctx.baseUrl()}/cpaas/nms/v1/chat/${encodeURIComponent(file.owner)}/objects/${file.id}/raw`

  ctx.route('POST', '/cpaas/nms/:version/chat/:userId/objects', { raw: true }, async ({ rawBody, headers, user }) => {
    const contentType = String(headers['content-type'] ?? '')
    if (!contentType.toLowerCase().startsWith('multipart/form-data')) return serviceError(415, 'SVC0002', 'Invalid input value for message part %1', ['Content-Type: multipart/form-data expected'])
    let form: FormData
    try {
      form = await new Response(new Uint8Array(rawBody), { headers: { 'content-type': contentType } }).formData()
    } catch {
      return badPart('body: malformed multipart/form-data')
    }
    const rootFields = form.get('root-fields')
    if (rootFields !== null) {
      let parsed: unknown
      try {
        parsed = JSON.parse(typeof rootFields === 'string' ? rootFields : await rootFields.text())
      } catch {
        return badPart('root-fields: not valid JSON')
      }
      if (!UploadRootFields.is(parsed)) return badPart('root-fields')
    }
    const raw = form.get('raw')
    if (raw === null || typeof raw === 'string') return badPart('raw: a file is required')
    if (raw.size > fileSizeLimit) return serviceError(413, 'SVC0002', 'Invalid input value for message part %1', [`raw: larger than ${fileSizeLimit} bytes`])
    const file: StoredFile = {
      id: ctx.id(),
      owner: user.userId,
      name: (raw as File).name || 'file',
      contentType: raw.type || 'application/octet-stream',
      size: raw.size,
      data: Buffer.from(await raw.arrayBuffer()).toString('base64'),
      readers: [],
    }
    files[file.id] = file
    store.save()
    const attribute = [
      { name: 'name', value: file.name },
      { name: 'x-id', value: file.id },
      { name: 'link', value: linkOf(file) },
      { name: 'size', value: String(file.size) },
      { name: 'content-type', value: file.contentType },
    ]
    return { status: 201, body: { object: { attributes: { attribute } } } }
  })

  ctx.route('GET', '/cpaas/nms/:version/chat/:owner/objects/:fileId/raw', {}, ({ user, params }) => {
    const file = fileOf(params.fileId!)
    if (file === undefined || file.owner.toLowerCase() !== params.owner!.toLowerCase()) return notFound(params.fileId!)
    if (file.owner !== user.userId && !file.readers.includes(user.userId)) {
      return policyError(403, 'POL0001', 'A policy error occurred. Error code is %1', ['no access to this file'])
    }
    return {
      status: 200,
      body: Buffer.from(file.data, 'base64'),
      contentType: file.contentType,
      headers: { 'Cache-Control': 'private, max-age=3600', 'Content-Disposition': `inline; filename="${file.name.replace(/["\\\r\n]/g, '_')}"` },
    }
  })

  return {
    /** The attachments of a send, checked: each `x-id` must be a file the sender may read. */
    attachments(sender: Account, ids: readonly string[]): WireAttachment[] | PlatformReply {
      const found: WireAttachment[] = []
      for (const id of ids) {
        const file = fileOf(id)
        if (file === undefined || (file.owner !== sender.userId && !file.readers.includes(sender.userId))) return badPart(`chatMessage.attachment: unknown x-id ${id}`)
        found.push({ link: linkOf(file), name: file.name, size: file.size, 'x-id': file.id, 'content-type': file.contentType })
      }
      return found
    },
    /** Lets these users download these files. */
    share(ids: readonly string[], userIds: readonly string[]): void {
      let changed = false
      for (const id of ids) {
        const file = fileOf(id)
        if (file === undefined) continue
        for (const userId of userIds) {
          if (userId === file.owner || file.readers.includes(userId)) continue
          file.readers.push(userId)
          changed = true
        }
      }
      if (changed) store.save()
    },
    /** The attachment of a stored id (its link may have changed with the base URL). */
    wire(id: string): WireAttachment | undefined {
      const file = fileOf(id)
      return file === undefined ? undefined : { link: linkOf(file), name: file.name, size: file.size, 'x-id': file.id, 'content-type': file.contentType }
    },
  }
}

export type MessagingFiles = ReturnType<typeof messagingFiles>
