import { expect } from 'chai'
import { codeBlocks, consumerOptions, diagnosticsOf, virtualPath, type VirtualFile } from './compile.js'

// What an app's compiler says about the package (spec/run.mjs builds dist/types first): every
// js/ts snippet of the README and the samples' entry points compile under `strict` with
// `skipLibCheck: false`, and the typed event map refuses a wrong event name or payload field.

// Names the README leaves to the reader for brevity: an app has its own.
const readerNames = `
declare const accessToken: string
declare const idToken: string
declare function render(...values: unknown[]): void
declare function showIncoming(...values: unknown[]): void
declare function renderConversations(...values: unknown[]): void
`

const snippets: VirtualFile[] = codeBlocks('README.md').map(({ line, code }) => ({
  path: virtualPath(`readme-line-${line}.ts`),
  text: `${readerNames}\n${code}\nexport {}\n`,
}))

const misuse = (name: string, code: string): VirtualFile => ({
  path: virtualPath(`${name}.ts`),
  text: `import { create } from 'kandy-rx'\nconst client = create()\n${code}\n`,
})

const wrongName = misuse('wrong-name', "client.on('call:nope', () => undefined)")
const wrongField = misuse('wrong-field', "client.on('call:stateChange', ({ callID }) => console.log(callID))")
const wrongPayload = misuse('wrong-payload', "client.on('presence:change', ({ userId }) => userId.toFixed(2))")
const rightUse = misuse(
  'right-use',
  `client.on('call:stateChange', ({ callId, previous, error }) => console.log(callId.length, previous?.state, error?.code))
client.on('directory:change', ({ results, next }) => console.log(results.length, next))
client.on('messages:error', (payload) => console.log('error' in payload ? payload.error.code : payload.code))
client.subscribe((type, [payload]) => console.log(type, payload))`,
)

// An app names the shapes it holds: a call object, a message, a presence, a feature of the streams.
const namedTypes: VirtualFile = {
  path: virtualPath('named-types.ts'),
  text: `import { create, type CallObject, type Conversation, type Message, type UserPresence, type MakeOptions } from 'kandy-rx'
import { createStreams, type PresenceFeature, type UserPresence as StreamsPresence, type CallsState, type Keyed } from 'kandy-rx/streams'
const client = create()
const calls: CallObject[] = client.call.getAll()
const conversations: Conversation[] = client.conversation.getAll()
const messages: Message[] = conversations.flatMap((conversation) => conversation.getMessages())
const people: UserPresence[] = client.presence.getAll()
const options: MakeOptions = { displayName: 'Ann' }
const presence: PresenceFeature = createStreams().presence
const users: Keyed<StreamsPresence> = presence.current().users
const state: CallsState | undefined = undefined
console.log(calls, messages, people, options, users.get('ann')?.status, state)
`,
}

describe('types: what an app compiling against the package sees', function () {
  this.timeout(300000)
  let diagnostics = new Map<string, string[]>()
  before(() => {
    diagnostics = diagnosticsOf([...snippets, wrongName, wrongField, wrongPayload, rightUse, namedTypes], ['samples/node/bot.ts', 'lib/webrtc-adapter-utils.d.ts'])
  })
  const errorsOf = (path: string): string[] => diagnostics.get(path) ?? []
  const errorsUnder = (folder: string): string[] =>
    [...diagnostics.entries()].filter(([path]) => path.startsWith(`${process.cwd()}/${folder}`)).flatMap(([, errors]) => errors)

  it('finds the README snippets', () => {
    expect(snippets.length).to.be.greaterThanOrEqual(4)
  })

  it('compiles every js/ts snippet of README.md under strict, and the package declarations they use with skipLibCheck off', () => {
    const failures = [...snippets.flatMap(({ path }) => errorsOf(path)), ...errorsUnder('dist/types/')]
    expect(failures, failures.join('\n')).to.deep.equal([])
  })

  it('compiles the Node sample bot (and the SDK source it imports) under strict', () => {
    const failures = [...errorsUnder('samples/'), ...errorsUnder('lib/'), ...errorsUnder('streams/')]
    expect(failures, failures.join('\n')).to.deep.equal([])
  })

  it("finds no error in the dependencies' declarations but @roamhq/wrtc's own (its d.ts fails skipLibCheck off whoever uses it)", () => {
    const failures = [...diagnostics.entries()].filter(([path]) => path.includes('/node_modules/') && !path.includes('/node_modules/@roamhq/wrtc/')).flatMap(([, errors]) => errors)
    expect(failures, failures.join('\n')).to.deep.equal([])
  })

  it("compiles the Angular sample's entry point, kandy-rx/streams from the built declarations", () => {
    const angular = diagnosticsOf([], ['samples/angular/main.ts'], { ...consumerOptions, types: [], experimentalDecorators: true, useDefineForClassFields: false })
    const failures = [...angular.values()].flat()
    expect(failures, failures.join('\n')).to.deep.equal([])
  })

  it('accepts the documented payload fields of events', () => {
    expect(errorsOf(rightUse.path)).to.deep.equal([])
  })

  it('lets an app name the types the API hands it, imported from kandy-rx and kandy-rx/streams', () => {
    expect(errorsOf(namedTypes.path)).to.deep.equal([])
  })

  it("refuses client.on('call:nope'): not an event name", () => {
    expect(errorsOf(wrongName.path).join('\n')).to.match(/TS2345 .*'"call:nope"'/)
  })

  it('refuses a payload field the event does not have, and a field used as the wrong type', () => {
    expect(errorsOf(wrongField.path).join('\n')).to.match(/TS2339 Property 'callID' does not exist/)
    expect(errorsOf(wrongPayload.path).join('\n')).to.match(/Property 'toFixed' does not exist on type 'string'/)
  })
})
