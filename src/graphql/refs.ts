// Arguments that name an object the way REST paths do (by name or id), described once.
export const TEAM_REF = ['team', { description: 'The team, by name or id' }] as const;
export const APP_REF = ['app', { description: 'The app, by name or id' }] as const;
export const ENVIRONMENT_REF = ['environment', { description: 'The environment, by name or id (within the app)' }] as const;
