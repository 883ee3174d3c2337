export default async function globalTeardown() {
  await globalThis.__tideflowDb?.stop();
}
