// Replaced once the k6 toolchain exists: builds bundles and makes sure k6 is installed before e2e tests.
export default async function setup(): Promise<void> {}
