import { expect } from 'chai'
import { useHarness } from '../harness.js'

describe('messaging in Chromium: two pages chatting', function () {
  this.timeout(60000)
  const harness = useHarness()

  it('alice sends a text and a PNG drawn in her page; bob receives both and renders the image in an <img>', async () => {
    const alice = await harness().open('alice@example.com', { services: ['chat'] })
    const bob = await harness().open('bob@example.com', { services: ['chat'] })

    // A 32×24 PNG drawn on a canvas in alice's page, sent as a File part.
    const sent = await alice.run(async (client) => {
      const canvas = document.createElement('canvas')
      canvas.width = 32
      canvas.height = 24
      const context = canvas.getContext('2d')!
      context.fillStyle = '#c03'
      context.fillRect(0, 0, 32, 24)
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((made) => resolve(made!), 'image/png'))
      const conversation = client.conversation.create('bob@example.com')
      const message = conversation.createMessage({ type: 'text', text: 'A red square' })
      message.addPart({ type: 'file', file: new File([blob], 'square.png', { type: 'image/png' }) })
      message.send()
      const pending = client.conversation.get('bob@example.com')!.getMessages()
      return { size: blob.size, pending: pending.map((m) => m.isPending) }
    })
    expect(sent.pending).to.deep.equal([true])

    const change = await alice.waitFor('messages:change', { destination: ['bob@example.com'], type: 'chat-oneToOne', sender: 'alice@example.com' })
    const own = await alice.run((client, id) => client.conversation.get('bob@example.com')!.getMessage(id), change.payload.messageId as string)
    expect(own).to.deep.include({ isPending: false, deliveryStatus: 'Sent' })
    expect(own?.parts.map((part) => part.type)).to.deep.equal(['text', 'file'])

    const arrived = await bob.waitFor('conversations:change', { destination: ['alice@example.com'], type: 'chat-oneToOne' })
    const messageId = arrived.payload.messageId as string
    const received = await bob.run((client, id) => client.conversation.get('alice@example.com')!.getMessage(id), messageId)
    expect(received?.parts[0]).to.deep.equal({ type: 'text', text: 'A red square' })
    expect(received?.parts[1]).to.deep.include({ type: 'file', name: 'square.png', size: sent.size })

    const before = (await bob.events()).length - 1
    await bob.run((client, id) => client.conversation.get('alice@example.com')!.getMessage(id)!.createImageLinks(), messageId)
    await bob.waitFor('messages:change', { destination: ['alice@example.com'], type: 'chat-oneToOne' }, { after: before })
    const image = await bob.run(async (client, id) => {
      const part = client.conversation.get('alice@example.com')!.getMessage(id)!.parts[1] as { url?: string }
      const img = document.createElement('img')
      document.body.append(img)
      await new Promise<void>((resolve, reject) => {
        img.onload = () => resolve()
        img.onerror = () => reject(new Error(`the image did not load from ${part.url}`))
        img.src = part.url ?? ''
      })
      return { url: part.url, width: img.naturalWidth, height: img.naturalHeight }
    }, messageId)
    expect(image.url).to.match(/^blob:/)
    expect(image).to.include({ width: 32, height: 24 })

    // Bob answers while alice watches him type.
    const typingFrom = (await alice.events()).length - 1
    await bob.run((client) => client.conversation.get('alice@example.com')!.setIsTyping(true))
    await alice.waitFor('isTypingList:change', { destination: ['bob@example.com'], sender: 'bob@example.com', state: 'active' }, { after: typingFrom })
    expect(await alice.run((client) => client.conversation.get('bob@example.com')!.isTypingList)).to.deep.equal(['bob@example.com'])
    await bob.run((client) => {
      const conversation = client.conversation.get('alice@example.com')!
      conversation.setIsTyping(false)
      conversation.createMessage('Nice!').send()
    })
    await alice.waitFor('messages:change', { destination: ['bob@example.com'], type: 'chat-oneToOne' }, { after: typingFrom })
    await alice.until((client) => client.conversation.get('bob@example.com')!.getMessages().length === 2)
    const texts = await alice.run((client) =>
      client.conversation.get('bob@example.com')!.getMessages().map((m) => (m.parts.find((part) => part.type === 'text') as { text: string }).text),
    )
    expect(texts).to.deep.equal(['A red square', 'Nice!'])
    expect(await alice.run((client) => client.conversation.get('bob@example.com')!.isTypingList)).to.deep.equal([])
    expect(alice.errors.concat(bob.errors)).to.deep.equal([])
  })
})
