// Plain WebRTC signalling through the platform's REST + WebSocket, without the SDK: what a
// hand-written page (or a gateway) does. Used as the baseline of bench/call-setup.bench.ts and as
// the offer-less "gateway" caller of the slow-start spec. Loaded into a page with addScriptTag.
window.plainCpaas = (() => {
  const now = () => performance.timeOrigin + performance.now()

  /** Opens a notification channel and its WebSocket, and subscribes it to `call`. */
  async function open({ accessToken, userId }) {
    const api = async (method, path, body) => {
      const response = await fetch(path, {
        method,
        headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await response.text()
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
      return text !== '' && (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : {}
    }
    const signalling = `/cpaas/webrtcsignaling/v1/${userId}`
    const { notificationChannel } = await api('POST', `/cpaas/notificationchannel/v1/${userId}/channels`, {
      notificationChannel: { channelType: 'Websockets', clientCorrelator: 'plain' },
    })
    const socket = new WebSocket(`ws://${location.host}${notificationChannel.channelData.channelURL}?access_token=${encodeURIComponent(accessToken)}`)
    const listeners = new Set()
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data)
      for (const listener of [...listeners]) listener(frame)
    }
    await new Promise((resolve, reject) => {
      socket.onopen = resolve
      socket.onerror = () => reject(new Error('plain WebSocket failed'))
    })
    await api('POST', `${signalling}/subscriptions`, {
      wrtcsNotificationSubscription: { callbackReference: { notifyURL: notificationChannel.callbackURL }, clientCorrelator: 'plain' },
    })
    /** Calls `handler(body)` for every notification of `kind`; returns the way to stop. */
    const on = (kind, handler) => {
      const listener = (frame) => frame[kind] !== undefined && handler(frame[kind])
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
    /** The next notification of `kind` matching `predicate`. */
    const next = (kind, predicate = () => true) =>
      new Promise((resolve) => {
        const stop = on(kind, (body) => {
          if (!predicate(body)) return
          stop()
          resolve(body)
        })
      })
    return { api, on, next, signalling, close: () => socket.close() }
  }

  const sessionOf = (body) => body.link[0].href.split('sessions/')[1]

  const gathered = (pc) =>
    new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') return resolve()
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve())
    })

  /** A peer connection that records when it connected and when its first remote packet arrived. */
  function peer(times) {
    const pc = new RTCPeerConnection({ iceServers: [] })
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected' && times.iceConnected === undefined) times.iceConnected = now()
    })
    pc.addEventListener('track', ({ track }) => {
      track.addEventListener('unmute', () => (times.firstMedia ??= now()), { once: true })
    })
    return pc
  }

  /** Places a call with a complete offer (no trickle); resolves once the answer is applied. */
  async function call(connection, to, constraints, times = {}) {
    times.start = now()
    const stream = await navigator.mediaDevices.getUserMedia(constraints)
    const pc = peer(times)
    for (const track of stream.getTracks()) pc.addTrack(track, stream)
    await pc.setLocalDescription(await pc.createOffer())
    await gathered(pc)
    const created = await connection.api('POST', `${connection.signalling}/sessions`, {
      wrtcsSession: { clientCorrelator: 'plain', tParticipantAddress: to, offer: { sdp: pc.localDescription.sdp } },
    })
    const sessionId = created.wrtcsSession.resourceURL.split('sessions/')[1]
    const accepted = await connection.next('wrtcsAcceptanceNotification', (body) => sessionOf(body) === sessionId)
    await pc.setRemoteDescription({ type: 'answer', sdp: accepted.answer.sdp })
    times.connected = now()
    return { pc, stream, sessionId, times }
  }

  /** Answers every incoming call at once (ringing reported first, as the SDK does); `calls` collects them. */
  function answerAll(connection, constraints, calls) {
    return connection.on('wrtcsSessionInvitationNotification', async (invitation) => {
      const times = { invited: now() }
      const sessionId = sessionOf(invitation)
      const pc = peer(times)
      const entry = { pc, sessionId, times, stream: undefined }
      calls.push(entry)
      await pc.setRemoteDescription({ type: 'offer', sdp: invitation.offer.sdp })
      await connection.api('PUT', `${connection.signalling}/sessions/${sessionId}/status`, { wrtcsSessionStatus: { clientCorrelator: 'plain', status: 'Ringing' } })
      entry.stream = await navigator.mediaDevices.getUserMedia(constraints)
      for (const track of entry.stream.getTracks()) pc.addTrack(track, entry.stream)
      await pc.setLocalDescription(await pc.createAnswer())
      await gathered(pc)
      await connection.api('PUT', `${connection.signalling}/sessions/${sessionId}/answer`, { wrtcsAnswer: { clientCorrelator: 'plain', sdp: pc.localDescription.sdp } })
      times.connected = now()
    })
  }

  /** Ends a call: DELETE, then media and connection closed. */
  async function hangUp(connection, entry) {
    await connection.api('DELETE', `${connection.signalling}/sessions/${entry.sessionId}`)
    entry.stream?.getTracks().forEach((track) => track.stop())
    entry.pc.close()
  }

  return { open, call, answerAll, hangUp, gathered, sessionOf, now }
})()
