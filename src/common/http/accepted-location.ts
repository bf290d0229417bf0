// A 202 answer says where to follow the work it started (Location): the object it is about.
// DELETE …/x answers 202 while x is being removed: GET x until it is gone (404).
// POST …/x/restart answers 202 while x rolls: GET x until its status is final.

/** The Location of a 202 answer to `method path` (path without query string). */
export function acceptedLocation(method: string, url: string): string {
  const path = url.split('?')[0] ?? url;
  return method.toUpperCase() === 'DELETE' ? path : path.replace(/\/[^/]+\/?$/, '');
}
