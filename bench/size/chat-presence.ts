// A chat + presence app as an application would write it on `kandy-rx/streams`: it builds only
// the features it uses on a core, logs in, subscribes, and renders conversations and presence
// into the page. The size benchmark bundles it (esbuild: minify, tree-shake) to show what an app
// that uses part of the SDK ships.
import { combineLatest, filter, take } from 'rxjs'
import { createCore, withMessaging, withPresence } from '../../streams/index.js'

const form = document.querySelector('form')!
const field = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement).value
const list = (id: string): HTMLElement => document.getElementById(id)!

function item(text: string): HTMLLIElement {
  const element = document.createElement('li')
  element.textContent = text
  return element
}

async function logIn(): Promise<void> {
  const server = { base: location.hostname, protocol: 'https' as const, port: Number(location.port || 443) }
  const response = await fetch('/cpaas/auth/v1/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'chat-presence', scope: 'openid', username: field('user'), password: field('password') }),
  })
  const { access_token: accessToken, id_token: idToken } = (await response.json()) as { access_token: string; id_token: string }

  const core = createCore({ authentication: { server, clientCorrelator: 'chat-presence' } })
  const messaging = withMessaging(core)
  const presence = withPresence(core)
  core.auth.commands.setTokens({ accessToken, idToken })
  core.subscription.commands.subscribe(['chat', 'presence'], 'websocket')

  const watchedUsers = field('watch').split(',').map((user) => user.trim()).filter((user) => user !== '')
  core.subscription.state$
    .pipe(
      filter(() => core.subscription.subscriptions().subscribed.includes('presence')),
      take(1),
    )
    .subscribe(() => presence.commands.subscribe(watchedUsers))

  combineLatest([messaging.conversations$, presence.presence$]).subscribe(([conversations, people]) => {
    list('conversations').replaceChildren(
      ...conversations.map((conversation) => item(`${conversation.destination.join(', ')}: ${conversation.messages.length} messages, last "${conversation.lastMessage ?? ''}"`)),
    )
    list('presence').replaceChildren(...Object.values(people).map((person) => item(`${person.userId}: ${person.status ?? '?'} / ${person.activity ?? '?'}`)))
  })
  form.addEventListener('reset', () => core.dispose(), { once: true })
}

form.addEventListener('submit', (event) => {
  event.preventDefault()
  void logIn()
})
