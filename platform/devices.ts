// One user's devices, told apart by the `clientCorrelator` each gave its notification channel.

/**
 * Some of a user's devices, told apart by the `clientCorrelator` each gave its channel: `only`
 * that device, or every device `except` it. When no channel carries the correlator (the device
 * is not known), `only` means every device and `except` none, so nobody is cut off by mistake.
 */
export type DeviceFilter = { readonly only: string } | { readonly except: string }

/** The channels of `channels` that `devices` chooses. */
export function chosenDevices<Channel extends { readonly clientCorrelator: string | undefined }>(channels: readonly Channel[], devices: DeviceFilter): readonly Channel[] {
  const device = 'only' in devices ? devices.only : devices.except
  const known = channels.some((channel) => channel.clientCorrelator === device)
  if (!known) return 'only' in devices ? channels : []
  return channels.filter((channel) => (channel.clientCorrelator === device) === 'only' in devices)
}
