// The kandy-rx browser sample: a softphone and chat page on the documented event API and the
// `Kandy` global of /kandy-rx.js. This module signs in and out and ties the parts together:
//   session.js  tokens from the platform, the client
//   people.js   names, contacts with presence, directory search, own status (parts listed in people.js)
//   chat.js     conversations, messages, typing, images, groups, SMS (parts listed in chat.js)
//   calls.js    calls, video, mute, hold, DTMF, transfer, join, devices (parts listed in calls.js)
//   connection-status.js  the header's connection status
//   event-log.js every SDK event, for the curious
import { $, errorText, showError, showFieldProblem } from './dom.js'
import { startCalls } from './calls.js'
import { startChat } from './chat.js'
import { startConnectionStatus } from './connection-status.js'
import { createEventLog } from './event-log.js'
import { startPeople } from './people.js'
import { baseUrlOf, serverOf, SignInError, signIn } from './session.js'

const services = ['call', 'chat', 'smsinbound', 'presence']
const views = ['people', 'chat', 'calls']

const loginView = $('#login-view')
const loginForm = $('#login-form')
const loginError = $('#login-error')
const loginButton = $('#login-submit')
const appView = $('#app-view')
const sessionBar = $('#session')
const eventLog = createEventLog()

$('#platform-address').textContent = baseUrlOf(serverOf())
const rememberedUser = localStorage.getItem('kandy-rx-sample.user')
if (rememberedUser) $('#login-user').value = rememberedUser

/** On small screens one section shows at a time; on wide screens all three do. */
function showView(name) {
  if (!views.includes(name)) return
  appView.dataset.view = name
  for (const button of document.querySelectorAll('[data-view-button]')) button.setAttribute('aria-pressed', String(button.dataset.viewButton === name))
}
for (const button of document.querySelectorAll('[data-view-button]')) button.addEventListener('click', () => showView(button.dataset.viewButton))

let session // the signed-in state: { client, stop() }

loginForm.addEventListener('submit', async (event) => {
  event.preventDefault()
  const username = $('#login-user').value.trim()
  const password = $('#login-password').value
  if (username === '' || password === '') {
    loginError.textContent = 'Enter your user and password.'
    ;(username === '' ? $('#login-user') : $('#login-password')).focus()
    return
  }
  loginError.textContent = ''
  loginButton.disabled = true
  loginButton.textContent = 'Signing in…'
  try {
    session = await start(username, password)
    localStorage.setItem('kandy-rx-sample.user', username)
  } catch (error) {
    loginError.textContent = error instanceof SignInError ? error.message : `Sign-in failed: ${errorText(error)}`
    $('#login-password').focus()
  } finally {
    loginButton.disabled = false
    loginButton.textContent = 'Sign in'
  }
})

/** Who the signed-in user is: the id token names them; the directory adds the phone number later (`learnSelf`). */
function selfOf(claims) {
  return {
    name: [claims.given_name, claims.family_name].filter(Boolean).join(' '),
    addresses: new Set([claims.preferred_username, claims['services-identity'], claims.email, claims.phone_number].filter(Boolean).map((address) => String(address).toLowerCase())),
  }
}

/** A `directory:change` listener adding the user's own phone number and email address to `self` when the directory names them. */
const learnSelf =
  (self) =>
  ({ results }) => {
    const me = results?.find((user) => self.addresses.has(String(user.userId).toLowerCase()))
    if (me === undefined) return
    for (const field of ['phoneNumber', 'emailAddress']) if (typeof me[field] === 'string') self.addresses.add(me[field].toLowerCase())
  }

/** Shows the app instead of the sign-in form. */
function showApp(self, username, claims) {
  $('#me').textContent = self.name || username
  $('#me').title = claims.preferred_username ?? username
  loginView.hidden = true
  appView.hidden = false
  sessionBar.hidden = false
  showView('people')
}

/** Signs in, shows the app and starts every part of it; returns the session. */
async function start(username, password) {
  const { client, tokens, claims, stop: stopTokens } = await signIn({ username, password })
  const detachLog = eventLog.attach(client)
  eventLog.note(`signed in as ${claims.preferred_username ?? username}`)
  const self = selfOf(claims)

  const ui = { showView, call: (destination, video) => calls.place(destination, video) }
  const people = startPeople(client, self, { chat: (userId) => chat.open(userId, client.conversation.chatTypes.ONETOONE, { focus: true }), call: (userId, video) => calls.place(userId, video) })
  const chat = startChat(client, self, people, ui)
  const calls = startCalls(client, self, people, ui)
  const status = startConnectionStatus(client, services, (subscribed) => {
    if (subscribed.includes('presence')) people.presenceReady()
  })
  const onAuthError = ({ error }) => showError(`Sign-in: ${errorText(error)}`)
  const onSelfInfo = learnSelf(self)
  client.on('auth:error', onAuthError)
  client.on('directory:change', onSelfInfo)

  client.setTokens({ accessToken: tokens.accessToken, idToken: tokens.idToken })
  client.services.subscribe(services, 'websocket')
  client.presence.update(client.presence.statuses.OPEN, client.presence.activities.AVAILABLE)
  client.contacts.refresh()
  client.user.fetchSelfInfo()
  chat.load()

  showApp(self, username, claims)
  status.show()
  $('#main').focus()

  return {
    client,
    /** Tells contacts we left, then tears everything down. */
    async stop() {
      await leave(client)
      stopTokens()
      calls.stop()
      chat.stop()
      people.stop()
      status.stop()
      client.off('auth:error', onAuthError)
      client.off('directory:change', onSelfInfo)
      detachLog()
      client.dispose()
      eventLog.note('signed out')
    },
  }
}

/** Ends the user's calls that are still live; with `keepRinging`, not those that ring here (they ring on in the user's other tabs). */
function endCalls(client, keepRinging = false) {
  const { states } = client.call
  for (const call of client.call.getAll()) {
    if (call.state === states.ENDED || call.state === states.CANCELLED) continue
    if (keepRinging && call.direction === 'incoming' && call.state === states.RINGING) continue
    client.call.end(call.id)
  }
}

/** Ends the user's calls and publishes them as offline (closed), waiting up to 1.5 s for the platform's answer. */
async function leave(client) {
  endCalls(client)
  const leaving = new Promise((resolve) => {
    client.on('presence:selfChange', resolve)
    client.on('presence:error', resolve)
    setTimeout(resolve, 1500)
  })
  client.presence.update(client.presence.statuses.CLOSED, client.presence.activities.AVAILABLE)
  await leaving
}

/** Empties what the signed-out user typed (a message, whom to call, an SMS number, a group name) and the problems shown with it. */
function clearForms() {
  for (const form of appView.querySelectorAll('form')) form.reset()
  for (const field of appView.querySelectorAll('[aria-describedby]')) showFieldProblem(field, $(`#${field.getAttribute('aria-describedby')}`), undefined)
}

$('#logout').addEventListener('click', async () => {
  const ending = session
  session = undefined
  if (ending === undefined) return
  $('#logout').disabled = true
  await ending.stop()
  $('#logout').disabled = false
  clearForms()
  sessionBar.hidden = true
  appView.hidden = true
  loginView.hidden = false
  $('#login-password').value = ''
  $('#login-password').focus()
})

// The page closes: end calls and leave cleanly where the browser lets us.
window.addEventListener('pagehide', () => {
  if (session === undefined) return
  endCalls(session.client, true)
  session.client.dispose()
})
