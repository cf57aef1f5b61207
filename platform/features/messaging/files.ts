import type { Account, PlatformContext, PlatformReply } from '../../context.js'
import { notFound, serviceError } from '../../context.js'
import { badInput, forbidden } from '../../errors.js'
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

const invalidPart = (status: number, part: string): PlatformReply => serviceError(status, 'SVC0002', 'Invalid input value for message part %1', [part])

/** The `raw` file of a multipart upload, its `root-fields` (when sent) checked; or why it is refused. */
async function uploadedFile(rawBody: Buffer, contentType: string): Promise<File | PlatformReply> {
  if (!contentType.toLowerCase().startsWith('multipart/form-data')) return invalidPart(415, 'Content-Type: multipart/form-data expected')
  let form: FormData
  try {
    form = await new Response(new Uint8Array(rawBody), { headers: { 'content-type': contentType } }).formData()
  } catch {
    return badInput('body: malformed multipart/form-data')
  }
  const rootFields = form.get('root-fields')
  if (rootFields !== null) {
    let parsed: unknown
    try {
      parsed = JSON.parse(typeof rootFields === 'string' ? rootFields : await rootFields.text())
    } catch {
      return badInput('root-fields: not valid JSON')
    }
    if (!UploadRootFields.is(parsed)) return badInput('root-fields')
  }
  const raw = form.get('raw')
  if (raw === null || typeof raw === 'string') return badInput('raw: a file is required')
  if (raw.size > fileSizeLimit) return invalidPart(413, `raw: larger than ${fileSizeLimit} bytes`)
  return raw as File
}

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
  const mayRead = (file: StoredFile, userId: string): boolean => file.owner === userId || file.readers.includes(userId)
  // Absolute (`messaging.md` §3.3), on the origin the client came by: a LAN client gets a link it can reach.
  const linkOf = (file: StoredFile, origin: string): string => `${origin}/cpaas/nms/v1/chat/${encodeURIComponent(file.owner)}/objects/${file.id}/raw`
  const wire = (file: StoredFile, origin: string): WireAttachment => ({ link: linkOf(file, origin), name: file.name, size: file.size, 'x-id': file.id, 'content-type': file.contentType })

  ctx.route('POST', '/cpaas/nms/:version/chat/:userId/objects', { raw: true }, async ({ rawBody, headers, user, origin }) => {
    const raw = await uploadedFile(rawBody, String(headers['content-type'] ?? ''))
    if (!(raw instanceof Blob)) return raw
    const file: StoredFile = {
      id: ctx.id(),
      owner: user.userId,
      name: raw.name || 'file',
      contentType: raw.type || 'application/octet-stream',
      size: raw.size,
      data: Buffer.from(await raw.arrayBuffer()).toString('base64'),
      readers: [],
    }
    files[file.id] = file
    store.save()
    const attachment = wire(file, origin)
    const attribute = (['name', 'x-id', 'link', 'size', 'content-type'] as const).map((name) => ({ name, value: String(attachment[name]) }))
    return { status: 201, body: { object: { attributes: { attribute } } } }
  })

  ctx.route('GET', '/cpaas/nms/:version/chat/:owner/objects/:fileId/raw', {}, ({ user, params }) => {
    const file = fileOf(params.fileId!)
    if (file === undefined || file.owner.toLowerCase() !== params.owner!.toLowerCase()) return notFound(params.fileId!)
    if (!mayRead(file, user.userId)) return forbidden('no access to this file')
    return {
      status: 200,
      body: Buffer.from(file.data, 'base64'),
      contentType: file.contentType,
      headers: { 'Cache-Control': 'private, max-age=3600', 'Content-Disposition': `inline; filename="${file.name.replace(/["\\\r\n]/g, '_')}"` },
    }
  })

  return {
    /** Why the attachments of a send are refused (an `x-id` that is not a file the sender may read), or undefined. */
    refusal(sender: Account, ids: readonly string[]): PlatformReply | undefined {
      for (const id of ids) {
        const file = fileOf(id)
        if (file === undefined || !mayRead(file, sender.userId)) return badInput(`chatMessage.attachment: unknown x-id ${id}`)
      }
      return undefined
    },
    /** Lets these users download these files. */
    share(ids: readonly string[], userIds: readonly string[]): void {
      let changed = false
      for (const file of ids.flatMap((id) => fileOf(id) ?? [])) {
        for (const userId of userIds) {
          if (mayRead(file, userId)) continue
          file.readers.push(userId)
          changed = true
        }
      }
      if (changed) store.save()
    },
    /** The attachment of a stored id, its link on `origin`. */
    wire(id: string, origin: string): WireAttachment | undefined {
      const file = fileOf(id)
      return file === undefined ? undefined : wire(file, origin)
    },
  }
}

export type MessagingFiles = ReturnType<typeof messagingFiles>
