import { ANNOTATIONS } from './constants.js';

/**
 * A Framework's Mesos framework ID: the one kmesos gave its external scheduler (kept in an
 * annotation, so it survives restarts and a scheduler may re-subscribe with it), else its UID.
 */
export function frameworkIdOf(fw: {
  metadata: { uid?: string; annotations?: Record<string, string> };
}): string {
  return fw.metadata.annotations?.[ANNOTATIONS.frameworkID] ?? fw.metadata.uid ?? '';
}
