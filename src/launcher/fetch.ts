/**
 * Mesos' fetcher as an init container: before a task (or its executor) starts, each URI of its
 * CommandInfo is downloaded into the sandbox, made executable or unpacked as asked. Pure: the
 * container is part of the pod the launcher creates.
 *
 * The URIs reach the script as arguments, never as shell text: `<uri> <flags> <file>` for each,
 * flags `x` (extract) and `e` (executable), or `-`.
 */
import type { V1Container } from '@kubernetes/client-node';
import type { TaskSpecInput } from '../api/types.js';

/** The init container that fetches a pod's URIs. */
export const FETCH_CONTAINER = 'fetch';

export const FETCH_SCRIPT = `set -eu
while [ "$#" -ge 3 ]; do
  uri=$1; flags=$2; out=$3; shift 3
  case "$out" in */*) mkdir -p "\${out%/*}" ;; esac
  case "$uri" in
    http://*|https://*|ftp://*) wget -q -O "$out" "$uri" ;;
    file://*) cp "\${uri#file://}" "$out" ;;
    /*) cp "$uri" "$out" ;;
    *) echo "fetch: $uri: unsupported URI scheme" >&2; exit 1 ;;
  esac
  case "$flags" in *e*) chmod +x "$out" ;; esac
  case "$flags" in *x*)
    case "$out" in
      *.tar|*.tar.gz|*.tgz|*.tar.bz2|*.tbz2|*.tar.xz|*.txz) tar -xf "$out" ;;
      *.zip) unzip -o -q "$out" ;;
    esac ;;
  esac
  echo "fetch: $uri -> $out"
done
`;

/** One URI as written (extract and executable default to Mesos' true and false). */
export type FetchUri = NonNullable<TaskSpecInput['fetch']>[number];

/** The sandbox file a URI is fetched to: its outputFile, else the last segment of its path. */
export function fetchedName(u: FetchUri): string {
  if (u.outputFile !== undefined) return u.outputFile;
  const path = u.uri.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return path.slice(path.lastIndexOf('/') + 1) || 'fetched';
}

/** The script's arguments for these URIs. */
export function fetchArgs(uris: readonly FetchUri[]): string[] {
  return uris.flatMap((u) => {
    const flags = `${u.extract !== false ? 'x' : ''}${u.executable === true ? 'e' : ''}` || '-';
    return [u.uri, flags, fetchedName(u)];
  });
}

/**
 * The init container fetching every URI of the pod's tasks, in `image`, shaped like the pod's
 * first container (its security context, mounts and resources, which an init container adds
 * nothing to: the pod counts the larger of it and the sum of its containers).
 */
export function fetchContainer(
  uris: readonly FetchUri[],
  at: { image: string; sandbox: string; runAsUser: number },
  like: V1Container,
): V1Container {
  return {
    name: FETCH_CONTAINER,
    image: at.image,
    command: ['sh', '-c', FETCH_SCRIPT, 'fetch', ...fetchArgs(uris)],
    workingDir: at.sandbox,
    ...(like.resources ? { resources: like.resources } : {}),
    // The default image's user is often root, which the pod refuses: the fetcher runs as the pod's user or nobody.
    securityContext: { ...like.securityContext, runAsUser: at.runAsUser },
    ...(like.volumeMounts ? { volumeMounts: like.volumeMounts } : {}),
  };
}
