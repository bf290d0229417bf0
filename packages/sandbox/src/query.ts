/**
 * The apiserver's query-parameter conversion for booleans (apimachinery runtime
 * Convert_Slice_string_To_bool): absent, "false" or "0" (any case) is false; any other value,
 * the empty string included, is true. So the Python client's `watch=True` is a watch and
 * `force=False` is not a force. (It is laxer than Go's strconv.ParseBool, which the issue
 * assumed: `watch=f` is a watch on a real server, so it is one here too.)
 */
export function queryBool(value: string): boolean {
  const v = value.toLowerCase();
  return v !== 'false' && v !== '0';
}

/** Boolean query parameters of the list/watch, write, delete and log options. */
const BOOLEAN_PARAMS = ['watch', 'allowWatchBookmarks', 'sendInitialEvents', 'force', 'follow', 'previous', 'timestamps', 'orphanDependents', 'insecureSkipTLSVerifyBackend', 'ignoreStoreReadErrorWithClusterBreakingPotential'];

/**
 * Rewrite boolean parameters to "true"/"false" once, at the edge, so every handler can compare
 * with 'true' and still accept what other clients send.
 */
export function normaliseBooleans(q: URLSearchParams): void {
  for (const name of BOOLEAN_PARAMS) {
    const v = q.get(name);
    if (v !== null) q.set(name, String(queryBool(v)));
  }
}
