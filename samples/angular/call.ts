import { AsyncPipe } from '@angular/common'
import { Component, inject } from '@angular/core'
import { Kandy } from './kandy.js'
import { TracksDirective } from './tracks.js'

/** The call in progress: who, its state, answer / reject / end, and local and remote video. */
@Component({
  selector: 'kx-call',
  imports: [AsyncPipe, TracksDirective],
  template: `
    @if (kandy.activeCall$ | async; as call) {
      <section class="call" [attr.data-state]="call.state" aria-label="Call">
        <p class="who">
          {{ call.direction === 'incoming' ? 'Call from' : 'Calling' }}
          <strong>{{ call.remoteParticipant.displayName ?? call.remoteParticipant.displayNumber ?? (call.direction === 'incoming' ? call.from : call.to) }}</strong>
          · <span class="state">{{ call.state }}</span>
        </p>
        <div class="videos">
          <video class="remote" autoplay playsinline [kxTracks]="call.remoteTracks"></video>
          <video class="local" autoplay playsinline [muted]="true" [kxTracks]="call.localTracks"></video>
        </div>
        <div class="actions">
          @if (call.direction === 'incoming' && call.state === 'Ringing') {
            <button type="button" class="answer" (click)="kandy.answer(call.id)">Answer</button>
            <button type="button" class="reject" (click)="kandy.reject(call.id)">Reject</button>
          } @else {
            <button type="button" class="end" (click)="kandy.end(call.id)">End call</button>
          }
        </div>
      </section>
    }
  `,
})
export class CallComponent {
  readonly kandy = inject(Kandy)
}
