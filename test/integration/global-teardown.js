/** Stops the local control plane, and fails the run if a component died during it. */
export default async function globalTeardown() {
  const plane = globalThis.kmesosControlPlane;
  if (!plane) return;
  const crashed = plane.crashed();
  await plane.stop();
  if (crashed.length > 0)
    throw new Error(`control plane components exited during the run: ${crashed.join(', ')}`);
}
