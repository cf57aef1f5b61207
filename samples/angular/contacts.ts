import { AsyncPipe } from '@angular/common'
import { Component, EventEmitter, Input, Output, inject } from '@angular/core'
import { ownActivities, presenceOf } from '../browser/js/presence.js'
import { Kandy, type Contact } from './kandy.js'

/** Everyone in the directory with their live presence; picking one opens the chat with them. */
@Component({
  selector: 'kx-contacts',
  imports: [AsyncPipe],
  template: `
    <label class="me">My status
      <select #activity (change)="kandy.setActivity(activity.value)">
        @for (option of activities; track option.activity) {
          <option [value]="option.activity">{{ option.label }}</option>
        }
      </select>
    </label>
    <ul class="contacts" aria-label="Contacts">
      @for (contact of kandy.contacts$ | async; track contact.userId) {
        <li>
          <button type="button" class="contact" [class.selected]="contact.userId === selected" [attr.data-user]="contact.userId" (click)="select.emit(contact.userId)">
            <span class="dot" [attr.data-presence]="presence(contact).key"></span>
            <span class="name">{{ contact.name }}</span>
            <span class="presence">{{ presence(contact).label }}</span>
            @if (contact.unread > 0) {
              <span class="unread" [attr.aria-label]="contact.unread + ' unread'">{{ contact.unread }}</span>
            }
          </button>
        </li>
      } @empty {
        <li class="empty">Nobody yet</li>
      }
    </ul>
  `,
})
export class ContactsComponent {
  readonly kandy = inject(Kandy)
  /** The same words as the browser sample's (`samples/browser/js/presence.js`). */
  readonly activities = ownActivities
  @Input() selected: string | undefined
  @Output() readonly select = new EventEmitter<string>()

  /** A contact's presence in words: "On the phone", not `OnThePhone`; offline until the platform told. */
  presence(contact: Contact): { readonly key: string; readonly label: string } {
    return contact.status === undefined ? { key: 'offline', label: 'Offline' } : presenceOf(contact)
  }
}
