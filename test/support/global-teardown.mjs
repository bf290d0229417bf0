export default async function globalTeardown() {
  await globalThis.__BERTH_PG__?.stop();
}
