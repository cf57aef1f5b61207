import { BasicError, badInput, errorCodes } from '../errors.js'
import { isRecord } from '../guards.js'
import type { ChatType, FilePart, Part } from './state.js'

// The rules of a message's parts (`seed/api-reference.md` Part, `messaging.md` §3.1): a part is checked when added, the message when sent.

const partTypes: ReadonlySet<string> = new Set(['text', 'json', 'file', 'location'])

/** True for a Blob or File (also one from another realm, e.g. a page's File in a test harness). */
const isBlob = (value: unknown): value is Blob => isRecord(value) && typeof value.arrayBuffer === 'function' && typeof value.size === 'number'

/** The name a file part is uploaded under: the part's `name`, else the File's. */
export const fileNameOf = (part: FilePart): string | undefined => {
  if (typeof part.name === 'string' && part.name !== '') return part.name
  const name = (part.file as { name?: unknown } | undefined)?.name
  return typeof name === 'string' && name !== '' ? name : undefined
}

/** True for a file part that was uploaded already (forwarded or fetched): it is referenced by its `x-id`. */
export const isUploaded = (part: FilePart): boolean => part.file === undefined && typeof part['x-id'] === 'string'

/** Why a part cannot be added to a message, or undefined when it can. */
export function partError(part: unknown): BasicError | undefined {
  if (!isRecord(part)) return badInput('A message part must be an object with a type')
  if (typeof part.type !== 'string') return badInput('A message part needs a type: "text", "json" or "file"')
  if (!partTypes.has(part.type)) return badInput(`Unknown message part type "${part.type}": use "text", "json" or "file"`)
  if (part.json !== undefined && part.file !== undefined) return badInput('A message part cannot have both json and a file')
  if (part.type === 'text') return typeof part.text === 'string' ? undefined : badInput('A text part needs a "text" string')
  if (part.type === 'json') return isRecord(part.json) || Array.isArray(part.json) ? undefined : badInput('A json part needs a "json" object')
  if (part.type !== 'file' || isUploaded(part as FilePart)) return undefined
  if (!isBlob(part.file)) return badInput('A file part needs a "file" (a File or a Blob)')
  return fileNameOf(part as FilePart) === undefined ? badInput('A file part needs a name: a File, or a Blob with a "name" on the part') : undefined
}

/** Why a message with these parts cannot be sent in a conversation of this type, or undefined when it can. */
export function messageError(parts: readonly Part[], type: ChatType): BasicError | undefined {
  // An app in JavaScript may pass anything.
  if (!Array.isArray(parts)) return badInput('A message needs an array of parts, such as [{ type: "text", text }]')
  const refused = parts.map(partError).find((error) => error !== undefined)
  if (refused) return refused
  if (!parts.some((part) => part.type === 'text')) {
    return badInput('A message needs a text part ({ type: "text", text }); messages with files or json still need one (the text may be empty)')
  }
  const files = parts.filter((part) => part.type === 'file').length
  if (type === 'sms' && files > 0) return badInput('An SMS carries text only: remove the file part')
  if (files > 1) return new BasicError(errorCodes.messaging.INVALID_FILE_PARTS, 'A message can carry at most one file part')
  return undefined
}
