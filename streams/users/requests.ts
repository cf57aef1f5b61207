import { map, type Observable } from 'rxjs'
import type { PlatformLink } from '../connection/link.js'
import { errorCodes } from '../errors.js'
import { DirectoryResponse, type DirectoryPage, type QueryKey } from './codecs.js'

export type DirectoryQuery = Partial<Readonly<Record<QueryKey, string | number>>>

/** Searches a directory (§4): its items and the paging token for the next chunk, if any; every failure is reported with the fixed code `users:3`. */
export function searchDirectory(link: PlatformLink, userId: string, directoryId: string, query: DirectoryQuery): Observable<DirectoryPage> {
  const path = `/cpaas/directory/v1/${userId}/${directoryId}/search`
  return link
    .request({ method: 'GET', path, query, operation: 'User Request', fixedCode: errorCodes.users.DIRECTORY_REQUEST_FAIL, response: DirectoryResponse })
    .pipe(map((response) => response.directoryItemList))
}
