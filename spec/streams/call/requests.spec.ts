import { expect } from 'chai'
import { lastValueFrom, of, toArray } from 'rxjs'
import type { PlatformLink, RequestSpec } from '../../../streams/connection/link.js'
import { answerSession, createSession, endSession, reportStatus, transferSession, updateSession, type CallScope } from '../../../streams/call/requests.js'

// The call's REST requests as they go on the wire (calls.md §3–§11): method, path, operation, and the JSON body.

/** A link that records each request and answers it with `response` (what the platform's codec would give). */
function recordingLink(response: unknown = undefined) {
  const sent: Array<{ method: string; path: string; operation: string; json: unknown }> = []
  const link = {
    request: <A>(spec: RequestSpec<A>) => {
      sent.push({ method: spec.method, path: spec.path, operation: spec.operation, json: spec.body === undefined ? undefined : JSON.parse(JSON.stringify(spec.body)) })
      return of(response as A)
    },
  } as unknown as PlatformLink
  return { link, sent }
}

const withCorrelator: CallScope = { version: 'v1', userId: 'alice@example.com', clientCorrelator: 'cc-1' }
const without: CallScope = { ...withCorrelator, clientCorrelator: undefined }
const base = '/cpaas/webrtcsignaling/v1/alice@example.com'

describe('call requests (streams/call/requests.ts)', () => {
  it('create session: the correlator, address, offer and display name, each left out when undefined; emits the session id', async () => {
    const { link, sent } = recordingLink({ wrtcsSession: { resourceURL: `${base}/sessions/s-1` } })
    expect(await lastValueFrom(createSession(link, withCorrelator, 'bob@example.com', 'v=0', 'Alice'))).to.equal('s-1')
    await lastValueFrom(createSession(link, without, 'bob@example.com', 'v=0', undefined))
    expect(sent).to.deep.equal([
      {
        method: 'POST',
        path: `${base}/sessions`,
        operation: 'Create session',
        json: { wrtcsSession: { clientCorrelator: 'cc-1', tParticipantAddress: 'bob@example.com', offer: { sdp: 'v=0' }, tParticipantName: 'Alice' } },
      },
      { method: 'POST', path: `${base}/sessions`, operation: 'Create session', json: { wrtcsSession: { tParticipantAddress: 'bob@example.com', offer: { sdp: 'v=0' } } } },
    ])
  })

  it('status: the correlator (when there is one) and the status; emits the platform’s status', async () => {
    const { link, sent } = recordingLink({ wrtcsSessionStatus: { status: 'Ringing' } })
    expect(await lastValueFrom(reportStatus(link, withCorrelator, 's-1', 'Ringing'))).to.equal('Ringing')
    await lastValueFrom(reportStatus(link, without, 's-1', 'Ringing'))
    expect(sent.map(({ json }) => json)).to.deep.equal([{ wrtcsSessionStatus: { clientCorrelator: 'cc-1', status: 'Ringing' } }, { wrtcsSessionStatus: { status: 'Ringing' } }])
    expect(sent[0]).to.include({ method: 'PUT', path: `${base}/sessions/s-1/status`, operation: 'Session Status Update' })
  })

  it('answer, update, transfer and end: method, path, operation and body, the correlator only when there is one; each emits once and completes', async () => {
    for (const [scope, correlator] of [
      [withCorrelator, { clientCorrelator: 'cc-1' }],
      [without, {}],
    ] as const) {
      const { link, sent } = recordingLink()
      const outputs = await Promise.all(
        [
          answerSession(link, scope, 's-1', 'v=answer'),
          updateSession(link, scope, 's-1', 'v=offer'),
          transferSession(link, scope, 's-1', 'carol@example.com', 's-2'),
          endSession(link, scope, 's-1'),
        ].map((request$) => lastValueFrom(request$.pipe(toArray()))),
      )
      expect(outputs).to.deep.equal([[undefined], [undefined], [undefined], [undefined]])
      expect(sent).to.deep.equal([
        { method: 'PUT', path: `${base}/sessions/s-1/answer`, operation: 'Answer session', json: { wrtcsAnswer: { ...correlator, sdp: 'v=answer' } } },
        { method: 'PUT', path: `${base}/sessions/s-1/update`, operation: 'Update session', json: { wrtcsOffer: { ...correlator, sdp: 'v=offer' } } },
        {
          method: 'PUT',
          path: `${base}/sessions/s-1/transfer`,
          operation: 'Transfer session',
          json: { wrtcsTransfer: { ...correlator, address: 'carol@example.com', sessionId: 's-2' } },
        },
        { method: 'DELETE', path: `${base}/sessions/s-1`, operation: 'End session', json: undefined },
      ])
    }
  })
})
