import { AsyncPipe } from '@angular/common'
import { Component, EventEmitter, Input, Output, inject } from '@angular/core'
import { Kandy } from './kandy.js'

/** Everyone in the directory with their live presence; picking one opens the chat with them. */
@Component({
  selector: 'kx-contacts',
  imports: [AsyncPipe],
  template: `
    <label class="me">My status
      <select #activity (change)="kandy.setActivity(activity.value)">
        @for (option of activities; track option) {
          <option [value]="option">{{ option }}</option>
        }
      </select>
    </label>
    <ul class="contacts" aria-label="Contacts">
      @for (contact of kandy.contacts$ | async; track contact.userId) {
        <li>
          <button type="button" class="contact" [class.selected]="contact.userId === selected" [attr.data-user]="contact.userId" (click)="select.emit(contact.userId)">
            <span class="dot" [attr.data-status]="contact.status === 'Open' ? contact.activity : 'Offline'"></span>
            <span class="name">{{ contact.name }}</span>
            <span class="presence">{{ contact.status === 'Open' ? contact.activity : 'Offline' }}</span>
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
  readonly activities = ['Available', 'Busy', 'Lunch', 'Vacation', 'OnThePhone']
  @Input() selected: string | undefined
  @Output() readonly select = new EventEmitter<string>()
}
