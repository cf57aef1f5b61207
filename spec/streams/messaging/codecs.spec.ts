import { expect } from 'chai'
import { isRight } from 'fp-ts/Either'
import {
  ChatMessageListResponse,
  ChatPostBody,
  ChatSessionListResponse,
  FileUploadResponse,
  IsComposingBody,
  SmsSendBody,
  SmsSendResponse,
  UploadRootFields,
} from '../../../streams/messaging/codecs.js'

const accepts = (codec: { decode(value: unknown): unknown }, value: unknown): boolean => isRight(codec.decode(value) as never)

describe('messaging codecs', () => {
  it('tell a chat message from a typing indicator on the shared URL', () => {
    expect(accepts(ChatPostBody, { chatMessage: { text: 'Hello' } })).to.equal(true)
    expect(accepts(ChatPostBody, { chatMessage: { text: 'x', attachment: [{ name: 'p.png', 'x-id': 'f' }] } })).to.equal(true)
    expect(accepts(ChatPostBody, { isComposing: { contenttype: 'text/plain', refresh: '60', state: 'active', lastactive: 1 } })).to.equal(true)
    expect(accepts(IsComposingBody, { isComposing: { state: 'typing' } })).to.equal(false)
    expect(accepts(ChatPostBody, { chatMessage: { text: 5 } })).to.equal(false)
    expect(accepts(ChatPostBody, { hello: {} })).to.equal(false)
  })

  it('accept upload answers with plain or OMA array values, and the reference\'s root fields', () => {
    const attribute = [
      { name: 'name', value: 'pic.png' },
      { name: 'x-id', value: ['f-1'] },
      { name: 'size', value: 3 },
    ]
    expect(accepts(FileUploadResponse, { object: { attributes: { attribute } } })).to.equal(true)
    expect(accepts(FileUploadResponse, { object: { attributes: { attribute: {} } } })).to.equal(false)
    expect(accepts(UploadRootFields, JSON.parse('{"object":{"attributes":{"attribute":[]},"flags":{"flag":[]}}}'))).to.equal(true)
  })

  it('require the lists the reference maps over', () => {
    expect(accepts(ChatSessionListResponse, { chatSessionList: { chatSession: [] } })).to.equal(true)
    expect(accepts(ChatSessionListResponse, { chatSessionList: { chatSession: [{ sessionType: 'oneToOne' }] } })).to.equal(false)
    expect(accepts(ChatMessageListResponse, { chatMessageList: { chatMessage: [{ resourceURL: '/m/messages/1' }], next: 't' } })).to.equal(true)
    expect(accepts(ChatMessageListResponse, { chatMessageList: { chatMessage: [{ text: 'no resourceURL' }] } })).to.equal(false)
  })

  it('describe SMS sends and their answers', () => {
    expect(accepts(SmsSendBody, { outboundSMSMessageRequest: { address: ['+15552223333'], clientCorrelator: 'c', outboundSMSTextMessage: { message: 'Hi' } } })).to.equal(true)
    expect(accepts(SmsSendBody, { outboundSMSMessageRequest: { address: '+15552223333', outboundSMSTextMessage: { message: 'Hi' } } })).to.equal(false)
    expect(
      accepts(SmsSendResponse, {
        outboundSMSMessageRequest: { resourceURL: '/x/messages/1', deliveryInfoList: { deliveryInfo: [{ address: '+1', deliveryStatus: 'DeliveredToNetwork' }] } },
      }),
    ).to.equal(true)
    expect(accepts(SmsSendResponse, { outboundSMSMessageRequest: { resourceURL: '/x/messages/1' } })).to.equal(false)
  })
})
