import { expect } from 'chai'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestPlatform, usePlatform, type LoginTokens, type TestPlatform } from '../../helpers/platform.js'
import { exceptionOf, jsonRequest, type Json } from '../core/wire.js'


const attributes = (fields: Record<string, string>) => Object.entries(fields).map(([name, value]) => ({ name, value }))
const contactBody = (contactId: string | undefined, fields: Record<string, string>) => ({
  contact: { attributeList: { attribute: attributes(fields) }, ...(contactId === undefined ? {} : { contactId }) },
})

describe('platform: address book', () => {
  const platform = usePlatform()
  const path = (tokens: LoginTokens, contactId?: string) => `/cpaas/addressbook/v1/${tokens.userId}/default/contacts${contactId === undefined ? '' : `/${contactId}`}`
  const call = (p: TestPlatform, tokens: LoginTokens, method: string, contactId?: string, body?: unknown) => jsonRequest(p, tokens, method, path(tokens, contactId), body)
  let n = 0
  const fresh = () => `contact-${++n}`

  it('adds a contact with list friends and buddy false by default, and answers 201 with it', async () => {
    const alice = await platform().login('alice@example.com')
    const id = fresh()
    const added = await call(platform(), alice, 'POST', undefined, contactBody(id, { primaryContact: 'bob@example.com', firstName: 'Bob', email: 'bob@example.com' }))
    expect(added.status).to.equal(201)
    expect(added.body).to.deep.equal({
      contact: {
        contactId: id,
        attributeList: {
          attribute: attributes({ primaryContact: 'bob@example.com', firstName: 'Bob', email: 'bob@example.com', list: 'friends', buddy: 'false' }),
        },
      },
    })
    const fetched = await call(platform(), alice, 'GET', id)
    expect(fetched.status).to.equal(200)
    expect(fetched.body).to.deep.equal(added.body)
  })

  it('keeps a given list and buddy, and every other attribute as is', async () => {
    const alice = await platform().login('alice@example.com')
    const id = fresh()
    const fields = { primaryContact: 'carol@example.com', list: 'work', buddy: 'true', photoUrl: 'https://example.com/c.png', mobilePhoneNumber: '+15551230003' }
    const added = await call(platform(), alice, 'POST', undefined, contactBody(id, fields))
    expect(added.body.contact.attributeList.attribute).to.deep.equal(attributes(fields))
  })

  it('rejects a duplicate contactId with 409 serviceException, and a contact without contactId or primaryContact with 400', async () => {
    const alice = await platform().login('alice@example.com')
    const id = fresh()
    await call(platform(), alice, 'POST', undefined, contactBody(id, { primaryContact: 'bob@example.com' }))
    const duplicate = await call(platform(), alice, 'POST', undefined, contactBody(id, { primaryContact: 'bob@example.com' }))
    expect(duplicate.status).to.equal(409)
    expect((await exceptionOf(duplicate.response)).kind).to.equal('serviceException')
    expect((await call(platform(), alice, 'POST', undefined, contactBody(undefined, { primaryContact: 'bob@example.com' }))).status).to.equal(400)
    expect((await call(platform(), alice, 'POST', undefined, contactBody(fresh(), { firstName: 'Nobody' }))).status).to.equal(400)
    for (const contactId of ['  ', 'a/b']) expect((await call(platform(), alice, 'POST', undefined, contactBody(contactId, { primaryContact: 'bob@example.com' }))).status, contactId).to.equal(400)
    expect((await call(platform(), alice, 'POST', undefined, contactBody(fresh(), { primaryContact: ' ' }))).status).to.equal(400)
    expect((await call(platform(), alice, 'POST', undefined, { contact: { attributeList: { attribute: [{ name: 'buddy', value: true }] }, contactId: 'x' } })).status).to.equal(400)
  })

  it('updates a contact (200 with it), keeping the primaryContact when left out', async () => {
    const alice = await platform().login('alice@example.com')
    const id = fresh()
    await call(platform(), alice, 'POST', undefined, contactBody(id, { primaryContact: 'bob@example.com', firstName: 'Bob' }))
    const updated = await call(platform(), alice, 'PUT', id, contactBody(id, { firstName: 'Robert', buddy: 'true' }))
    expect(updated.status).to.equal(200)
    expect(updated.body.contact.attributeList.attribute).to.deep.equal(attributes({ primaryContact: 'bob@example.com', firstName: 'Robert', buddy: 'true', list: 'friends' }))
  })

  it('stores an update, refuses one naming another contactId, and never keeps contactId as an attribute', async () => {
    const alice = await platform().login('alice@example.com')
    const id = fresh()
    const added = await call(platform(), alice, 'POST', undefined, contactBody(id, { primaryContact: 'bob@example.com', contactId: 'sneaky' }))
    expect(added.body.contact.attributeList.attribute.map((a: Json) => a.name)).to.not.include('contactId')
    expect((await call(platform(), alice, 'PUT', id, contactBody('other-id', { firstName: 'Robert' }))).status).to.equal(400)
    await call(platform(), alice, 'PUT', id, contactBody(id, { firstName: 'Robbie' }))
    const fetched = await call(platform(), alice, 'GET', id)
    expect(fetched.body.contact.attributeList.attribute).to.deep.include({ name: 'firstName', value: 'Robbie' })
  })

  it('answers 404 for update, remove and fetch of an unknown contact', async () => {
    const alice = await platform().login('alice@example.com')
    for (const [method, body] of [
      ['PUT', contactBody('nope', { firstName: 'x' })],
      ['DELETE', undefined],
      ['GET', undefined],
    ] as const) {
      const response = await call(platform(), alice, method, 'nope', body)
      expect(response.status, method).to.equal(404)
      expect((await exceptionOf(response.response)).messageId).to.equal('SVC0004')
    }
  })

  it('removes a contact (204) and lists the rest in the order they were added', async () => {
    const dave = await platform().login('dave@example.com')
    const [a, b, c] = [fresh(), fresh(), fresh()]
    for (const id of [a, b, c]) await call(platform(), dave, 'POST', undefined, contactBody(id, { primaryContact: `${id}@example.com` }))
    expect((await call(platform(), dave, 'DELETE', b)).status).to.equal(204)
    const listed = await call(platform(), dave, 'GET')
    expect(listed.status).to.equal(200)
    expect(listed.body.contactCollection.contact.map((contact: Json) => contact.contactId)).to.deep.equal([a, c])
  })

  it("keeps each user's address book to themselves", async () => {
    const alice = await platform().login('alice@example.com')
    const carol = await platform().login('carol@example.com')
    const id = fresh()
    await call(platform(), alice, 'POST', undefined, contactBody(id, { primaryContact: 'bob@example.com' }))
    expect((await call(platform(), carol, 'GET', id)).status).to.equal(404)
    expect((await platform().fetchAs(carol, 'GET', path(alice, id))).status).to.equal(403)
  })

  it('keeps the address book across a restart with a data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kandy-contacts-'))
    const first = await startTestPlatform({ dataDir: dir })
    try {
      const bob = await first.login('bob@example.com')
      await call(first, bob, 'POST', undefined, contactBody('kept', { primaryContact: 'alice@example.com' }))
    } finally {
      await first.stop()
    }
    const second = await startTestPlatform({ dataDir: dir })
    try {
      const bob = await second.login('bob@example.com')
      expect((await call(second, bob, 'GET', 'kept')).status).to.equal(200)
    } finally {
      await second.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
