import { Directive, ElementRef, Input, inject } from '@angular/core'
import { Kandy } from './kandy.js'

/**
 * Plays tracks of a call (by track id, as `CallObject.localTracks` / `remoteTracks` list them)
 * in the host `<video>` element.
 *
 * <video autoplay playsinline [kxTracks]="call.remoteTracks"></video>
 */
@Directive({ selector: 'video[kxTracks]' })
export class TracksDirective {
  private readonly kandy = inject(Kandy)
  private readonly video: HTMLVideoElement = inject(ElementRef<HTMLVideoElement>).nativeElement
  private shown = ''

  @Input({ required: true }) set kxTracks(trackIds: readonly string[]) {
    const key = trackIds.join(',')
    if (key === this.shown) return
    this.shown = key
    const tracks = this.kandy.tracks(trackIds)
    this.video.srcObject = tracks.length === 0 ? null : new MediaStream(tracks)
    if (tracks.length > 0) this.video.play().catch(() => undefined)
  }
}
