// What `@Audited` records on a route (a file of its own: the decorator and the interceptors it
// applies both read it).
export interface AuditedRoute {
  /** e.g. `app.create`; one action per operation. */
  action: string;
  /** Type of the object the operation is about, e.g. `app`. */
  target: string;
}

export const AUDITED_KEY = 'berth:audited';
