// Chat: the header of the open conversation: its title, who or what it is with (presence,
// group members), and its actions (call, video call, leave or delete the group).
import { displayAddress } from './address.js'
import { $, h, icon } from './dom.js'
import { presenceOf } from './presence.js'

/** The header of the open conversation; `call(destination, video)` places a call. */
export function createChatHeader(client, people, facts, call) {
  const { chatTypes } = client.conversation
  const title = $('#chat-title')
  const subtitle = $('#chat-subtitle')
  const actions = $('#chat-actions')

  const participantLabel = (participant) =>
    `${people.isSelf(participant.address) ? 'You' : people.nameOf(participant.address)}${participant.isAdmin ? ' (admin)' : ''}${participant.status === 'Invited' ? ' (invited)' : ''}`

  const subtitleOf = (conversation) => {
    const destination = conversation.destination[0]
    if (conversation.type === chatTypes.SMS) return `SMS with ${displayAddress(destination)}`
    if (conversation.type === chatTypes.GROUP) {
      const group = client.groups.get(destination)
      if (group === undefined) return 'Group chat'
      return group.participants
        .filter((participant) => participant.status !== 'Disconnected')
        .map(participantLabel)
        .join(', ')
    }
    const presence = presenceOf(client.presence.get(destination)[0])
    return presence.key === 'unknown' ? displayAddress(destination) : `${presence.label} · ${displayAddress(destination)}`
  }

  const callButtons = (conversation, name, destination) => {
    const buttons = [
      h('button', { type: 'button', class: 'icon-button', 'aria-label': `Audio call ${name}`, title: 'Audio call', onclick: () => call(destination, false) }, icon('phone')),
    ]
    if (conversation.type === chatTypes.ONETOONE)
      buttons.push(h('button', { type: 'button', class: 'icon-button', 'aria-label': `Video call ${name}`, title: 'Video call', onclick: () => call(destination, true) }, icon('video')))
    return buttons
  }

  const groupButtons = (destination) => {
    const group = client.groups.get(destination)
    if (group === undefined) return []
    const admin = group.participants.some((participant) => participant.isAdmin && people.isSelf(participant.address))
    const leave = () => (admin ? client.groups.delete(destination) : client.groups.leave(destination))
    return [h('button', { type: 'button', class: 'secondary small', onclick: leave }, admin ? 'Delete group' : 'Leave group')]
  }

  /** Shows `conversation` in the header, or the plain "Messages" title when none is open. */
  return (conversation) => {
    if (conversation === undefined) {
      title.textContent = 'Messages'
      subtitle.textContent = ''
      actions.replaceChildren()
      return
    }
    const name = facts.titleOf(conversation)
    const destination = conversation.destination[0]
    title.textContent = name
    subtitle.textContent = subtitleOf(conversation)
    const buttons = conversation.type === chatTypes.GROUP ? groupButtons(destination) : callButtons(conversation, name, destination)
    actions.replaceChildren(...buttons)
  }
}
