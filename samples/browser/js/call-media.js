// A call card's media on screen: the tracks it renders, and taking them off again.
// `media` is `client.media`; a view remembers which tracks it has put on screen.

/** Puts the call's tracks not yet on screen there: remote audio and video, local video (muted). */
export function renderMedia(media, call, view, speakerOptions) {
  const kindOf = (trackId) => media.getTrackById(trackId)?.kind
  const fresh = (trackId) => !view.rendered.has(trackId) && media.getTrackById(trackId)?.state !== 'ended'
  const remote = call.remoteTracks.filter(fresh)
  const local = call.localTracks.filter((trackId) => fresh(trackId) && kindOf(trackId) === 'video')
  if (remote.length > 0) media.renderTracks(remote, view.remoteSelector, speakerOptions)
  if (local.length > 0) media.renderTracks(local, view.localSelector)
  remote.concat(local).forEach((trackId) => view.rendered.add(trackId))
  const live = (trackId) => view.rendered.has(trackId) && kindOf(trackId) === 'video' && media.getTrackById(trackId)?.state !== 'ended'
  view.stage.classList.toggle('has-remote-video', call.remoteTracks.some(live))
  view.stage.classList.toggle('has-local-video', call.localTracks.some(live))
}

/** Takes one track off the card, if it put it on screen. */
export function unrender(media, view, trackId) {
  if (!view.rendered.delete(trackId)) return
  media.removeTracks([trackId], view.remoteSelector)
  media.removeTracks([trackId], view.localSelector)
}

/** Takes every track of an ended call off the screen at once (the card stays a moment to say why it ended). */
export function clearMedia(media, view) {
  ;[...view.rendered].forEach((trackId) => unrender(media, view, trackId))
  view.stage.classList.remove('has-remote-video', 'has-local-video')
}
