// Chat: what the other chat modules read off a conversation and its messages (keys, text, time,
// whose message, unread count, title), kept apart from the page so each part names it the same way.
const imageName = /\.(png|jpe?g|gif|webp|bmp|avif)$/i

/** The key of a conversation in the list: its type and first destination. */
export const keyOf = (conversation) => `${conversation.type}|${conversation.destination[0]}`

/** The key of a message in the thread: its local id, its platform id, or its place. */
export const messageKey = (message, index) => message.localId ?? message.messageId ?? `at-${index}`

/** The text parts of a message, one a line. */
export const textOf = (message) =>
  message.parts
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n')

/** A message's time in milliseconds (the platform may give seconds). */
export const timeOf = (message) => (message.timestamp < 1e12 ? message.timestamp * 1000 : message.timestamp)

/** True for a file part that is an image, by its content type or its name. */
export const isImage = (part) => {
  const type = part['content-type'] ?? part.contentType ?? part.file?.type ?? ''
  return String(type).startsWith('image/') || imageName.test(String(part.name ?? part.file?.name ?? ''))
}

/** What depends on the client and on who is who: whose a message is, unread counts, titles. */
export function conversationFacts(client, people) {
  const { chatTypes } = client.conversation
  const isOwn = (message) => message.localId !== undefined || message.deliveryStatus !== undefined || people.isSelf(message.sender)
  const unreadOf = (conversation) => conversation.messages.filter((message) => !isOwn(message) && !message.read).length
  const titleOf = (conversation) => {
    const destination = conversation.destination[0]
    if (conversation.type === chatTypes.GROUP) return client.groups.get(destination)?.name ?? 'Group chat'
    return people.nameOf(destination)
  }
  return { isOwn, unreadOf, titleOf }
}
