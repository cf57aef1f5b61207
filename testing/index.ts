/**
 * A kit for testing apps built on kandy-rx against a real local platform in the test process:
 * `startPlatform` (users, bots, faults, a clock the test moves), clients already logged in and subscribed, and
 * guidance on marble-testing app code against `kandy-rx/streams` (`testing/README.md`).
 *
 * import { startPlatform, createTestClient } from 'kandy-rx/testing'
 * const platform = await startPlatform({ users: ['ann@example.com', 'ben@example.com'] })
 * const ann = await createTestClient(platform, 'ann@example.com')
 * await platform.faults.dropSockets('ann@example.com')
 * ann.dispose()
 * await platform.stop()
 *
 * @module kandy-rx/testing
 */
export { startPlatform, accountOf, type StartOptions, type TestPlatform, type TestTokens, type TestUser, type Account, type PlatformAdmin, type RestartOptions } from './platform.js'
export { createTestClock, type TestClock, type TestClockOptions } from './clock.js'
export type { PlatformClock, ClockTimer } from '../platform/index.js'
export { faultsOf, type Faults, type DropOptions, type FailOptions } from './faults.js'
export type { MediaOptions, MediaImpairment, TurnState, PlatformState, ServiceName } from '../platform/index.js'
// The admin API's own options (`platform.admin`), beside the kit's `faults` that take the user or prefix as an argument.
export type { DelayOptions, DropOptions as PlatformDropOptions, FailOptions as PlatformFailOptions } from '../platform/index.js'
export type { ConnCheckRole } from '../platform/channels.js'
export type { FailureRule, DelayRule } from '../platform/faults.js'
export type { BotKind, RunningBot, RunningBots } from './bots.js'
export {
  allServices,
  testConfig,
  nextEvent,
  createTestClient,
  createTestStreams,
  type PlatformAddress,
  type TestClient,
  type TestClientOptions,
  type TestStreams,
} from './clients.js'
// Node has no WebRTC or devices: calls from a Node test need this environment (`@roamhq/wrtc`, synthetic camera and microphone).
export { nodeEnvironment, type NodeEnvironment, type NodeEnvironmentOptions, type NodeMedia, type SyntheticTrack } from '../samples/node/environment.js'
export { tone, silence, movingBar, playback, audioOf, framesOf, type AudioGenerator, type VideoGenerator, type AudioData, type VideoFrame } from '../samples/node/media.js'
