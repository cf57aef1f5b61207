import { AsyncPipe } from '@angular/common'
import { Component, inject } from '@angular/core'
import { BehaviorSubject } from 'rxjs'
import { CallComponent } from './call.js'
import { ChatComponent } from './chat.js'
import { ContactsComponent } from './contacts.js'
import { Kandy } from './kandy.js'
import { LoginComponent } from './login.js'

/** The shell: the login form, then contacts, the chat with the chosen contact and the call. */
@Component({
  selector: 'kx-app',
  imports: [AsyncPipe, LoginComponent, ContactsComponent, ChatComponent, CallComponent],
  template: `
    @if (kandy.user$ | async; as user) {
      <header>
        <span class="user">{{ user.username }}</span>
        <span class="connection" [attr.data-connected]="kandy.connected$ | async">{{ (kandy.connected$ | async) ? 'Connected' : 'Connecting…' }}</span>
      </header>
      <main>
        <nav><kx-contacts [selected]="selected$ | async" (select)="selected$.next($event)" /></nav>
        <section class="conversation">
          <kx-call />
          @if (selected$ | async; as contact) {
            <h2>
              {{ contact }}
              <button type="button" class="video-call" (click)="kandy.call(contact)" [disabled]="(kandy.activeCall$ | async) !== undefined">Video call</button>
            </h2>
            <kx-chat [with]="contact" />
          } @else {
            <p class="hint">Pick a contact to chat or call.</p>
          }
        </section>
      </main>
    } @else {
      <kx-login />
    }
  `,
})
export class AppComponent {
  readonly kandy = inject(Kandy)
  readonly selected$ = new BehaviorSubject<string | undefined>(undefined)
}
