// The choice of microphone, camera and speaker: remembered between visits, used for new calls,
// and switched in calls in progress.
import { $, h } from './dom.js'

const deviceNames = { microphone: 'Microphone', camera: 'Camera', speaker: 'Speaker' }
const storedDevice = (kind) => localStorage.getItem(`kandy-rx-sample.${kind}`) ?? ''

/**
 * Starts the device selects. `onChange(kind, deviceId)` runs after the user picks a device;
 * returns `render()` (the devices changed) and the options that new calls and renders use.
 */
export function startDevices(media, listen, onChange) {
  const selects = { microphone: $('#device-microphone'), camera: $('#device-camera'), speaker: $('#device-speaker') }
  const render = () => {
    const devices = media.getDevices()
    for (const [kind, select] of Object.entries(selects)) {
      const wanted = select.value || storedDevice(kind)
      const options = (devices[kind] ?? []).map((device, index) => h('option', { value: device.deviceId, text: device.label || `${deviceNames[kind]} ${index + 1}` }))
      select.replaceChildren(h('option', { value: '', text: 'System default' }), ...options)
      select.value = options.some((option) => option.value === wanted) ? wanted : ''
    }
  }
  const chosen = (kind) => selects[kind].value
  const speakerOptions = () => (chosen('speaker') === '' ? {} : { speakerId: chosen('speaker') })
  const mediaOptions = (video) => ({
    audio: true,
    video,
    ...(chosen('microphone') === '' ? {} : { audioOptions: { deviceId: { ideal: chosen('microphone') } } }),
    ...(video && chosen('camera') !== '' ? { videoOptions: { deviceId: { ideal: chosen('camera') } } } : {}),
  })
  for (const [kind, select] of Object.entries(selects)) {
    listen(select, 'change', () => {
      localStorage.setItem(`kandy-rx-sample.${kind}`, select.value)
      onChange(kind, select.value)
    })
  }
  return { render, speakerOptions, mediaOptions }
}

/**
 * Moves calls to a newly chosen device: remote audio of `liveCalls` to the speaker, or the
 * microphone or camera track of `upCalls` (where the SDK has replaceTrack). `selectorOf(callId)`
 * is where a call's remote media is on screen, if it has a card.
 */
export function switchDevice(client, kind, deviceId, { liveCalls, upCalls, selectorOf, speakerOptions }) {
  const kindOf = (trackId) => client.media.getTrackById(trackId)?.kind
  if (kind === 'speaker') {
    // Re-render remote audio on the chosen speaker.
    for (const call of liveCalls) {
      const selector = selectorOf(call.id)
      const audio = call.remoteTracks.filter((trackId) => kindOf(trackId) === 'audio')
      if (selector !== undefined && audio.length > 0) client.media.renderTracks(audio, selector, speakerOptions)
    }
  } else if (typeof client.call.replaceTrack === 'function' && deviceId !== '') {
    // Switch the device of calls in progress.
    const trackKind = kind === 'camera' ? 'video' : 'audio'
    for (const call of upCalls) {
      const trackId = call.localTracks.find((id) => kindOf(id) === trackKind)
      if (trackId === undefined) continue
      const options = trackKind === 'video' ? { video: true, videoOptions: { deviceId: { exact: deviceId } } } : { audio: true, audioOptions: { deviceId: { exact: deviceId } } }
      client.call.replaceTrack(call.id, trackId, options)
    }
  }
}
