// Imported first by the bench's entry points: Berth runs with NODE_ENV=production, as its image
// sets it (Dockerfile). Libraries read it once, when they load: graphql-js's `instanceOf`, for one,
// is a plain `instanceof` in production and a slower cross-realm check otherwise (row 3's profile,
// docs/performance.md). ES modules run in import order, so this runs before any of them loads; the
// Berth and sandbox processes the bench spawns inherit it.
process.env.NODE_ENV ??= 'production';
export {};
