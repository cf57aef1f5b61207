/** True for a loopback host name or address. */
export const loopback = (host: string): boolean => host === 'localhost' || host === '::1' || host.startsWith('127.')

/**
 * A self-signed certificate (PEM) for localhost, 127.0.0.1, ::1 and `host`, valid 30 days, and
 * its key: what `--tls` serves when no `--cert`/`--key` is given.
 *
 * const { cert, key } = await selfSignedCertificate('127.0.0.1')
 */
export async function selfSignedCertificate(host: string): Promise<{ cert: string; key: string }> {
  const { generate } = await import('selfsigned')
  const altNames = [
    { type: 2 as const, value: 'localhost' },
    { type: 7 as const, ip: '127.0.0.1' },
    { type: 7 as const, ip: '::1' },
    ...(host !== 'localhost' && !loopback(host) && host !== '0.0.0.0' && host !== '::' ? [/^[\d.]+$|:/.test(host) ? { type: 7 as const, ip: host } : { type: 2 as const, value: host }] : []),
  ]
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}
