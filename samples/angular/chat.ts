import { AsyncPipe, DatePipe } from '@angular/common'
import { Component, Input, inject } from '@angular/core'
import { ReplaySubject, distinctUntilChanged, map, switchMap, tap } from 'rxjs'
import { Kandy, type Conversation, type Message } from './kandy.js'

/** The one-to-one chat with a contact: messages, who is typing, and a box to send. */
@Component({
  selector: 'kx-chat',
  imports: [AsyncPipe, DatePipe],
  template: `
    @if (conversation$ | async; as conversation) {
      <ol class="messages" aria-label="Messages" aria-live="polite">
        @for (entry of conversation.ordered; track entry.key) {
          <li [class.mine]="entry.message.sender !== contact" [class.pending]="entry.message.isPending">
            <span class="text">{{ textOf(entry.message) }}</span>
            <time [attr.datetime]="isoOf(entry.message)">{{ timeOf(entry.message) | date: 'shortTime' }}</time>
          </li>
        } @empty {
          <li class="empty">No messages yet</li>
        }
      </ol>
      <p class="typing" aria-live="polite">{{ conversation.isTypingList.length > 0 ? contact + ' is typing…' : '' }}</p>
    }
    <form class="compose" (submit)="send($event, box.value); box.value = ''">
      <label class="visually-hidden" for="compose-text">Message</label>
      <input #box id="compose-text" name="text" autocomplete="off" placeholder="Message" (input)="typing(box.value)" />
      <button type="submit">Send</button>
    </form>
  `,
})
export class ChatComponent {
  private readonly kandy = inject(Kandy)
  private readonly contact$ = new ReplaySubject<string>(1)
  contact = ''

  @Input({ required: true }) set with(contact: string) {
    this.contact = contact
    this.contact$.next(contact)
  }

  readonly conversation$ = this.contact$.pipe(
    distinctUntilChanged(),
    tap((contact) => this.kandy.openConversation(contact)),
    switchMap((contact) => this.kandy.conversation$(contact)),
    tap((conversation) => conversation !== undefined && this.kandy.markRead(conversation)),
    map((conversation) => (conversation === undefined ? undefined : { ...conversation, ordered: this.ordered(conversation) })),
  )

  /** The messages (the SDK keeps them in time order), each with its key for the list: its local id, else the platform's id. */
  private ordered(conversation: Conversation): readonly { readonly key: string; readonly message: Message }[] {
    return conversation.messages.map((message, index) => ({ key: message.localId ?? message.messageId ?? `at-${index}`, message }))
  }

  send(event: Event, text: string): void {
    event.preventDefault()
    if (text.trim() === '') return
    this.kandy.send(this.contact, text)
    this.kandy.setTyping(this.contact, false)
  }

  typing(text: string): void {
    this.kandy.setTyping(this.contact, text !== '')
  }

  /** Text parts only: a message is shown as text, never as HTML (interpolation escapes it). */
  textOf(message: Message): string {
    return message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ')
  }

  /** The message's time for machines (`<time datetime>`). */
  isoOf(message: Message): string {
    return new Date(this.timeOf(message)).toISOString()
  }

  /** Outgoing stamps are seconds, received ones milliseconds. */
  timeOf(message: Message): number {
    return message.timestamp < 1e11 ? message.timestamp * 1000 : message.timestamp
  }
}
