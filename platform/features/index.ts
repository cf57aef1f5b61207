import type { PlatformFeature } from '../context.js'
import { accountsFeature } from './accounts.js'
import { adminFeature } from './admin.js'
import { channelsFeature } from './channels.js'
import { subscriptionsFeature } from './subscriptions.js'
import { turnFeature } from './turn.js'
// Feature modules: one import line each, below this comment.
import { callsFeature } from './calls.js'
import { messagingFeature } from './messaging/feature.js'
import { presenceFeature } from './presence/feature.js'
import { groupsFeature } from './groups.js'
import { contactsFeature } from './contacts.js'
import { directoryFeature } from './directory.js'

/** The core's own modules; always installed, whatever `features` a platform is started with. */
export const coreFeatures: readonly PlatformFeature[] = [accountsFeature, channelsFeature, subscriptionsFeature, turnFeature, adminFeature]

/** Every registered module, in installation order: the core's first, then one line per feature module. */
export const platformFeatures: readonly PlatformFeature[] = [
  ...coreFeatures,
  // Feature modules: one line each, below this comment (calls, messaging, presence, groups, contacts, directory).
  callsFeature,
  messagingFeature,
  presenceFeature,
  groupsFeature,
  contactsFeature,
  directoryFeature,
]
