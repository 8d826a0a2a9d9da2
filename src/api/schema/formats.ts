/**
 * String formats a Pod needs that both the CRDs (as CEL) and the operator (as a JS RegExp) check:
 * one pattern and one message each, so admission and the operator refuse the same values for the
 * same reason. A pattern is written in the common ground of RE2 and JavaScript regexes.
 */
import type { CelRule } from './builders.js';

export interface Format {
  /** Anchored; RE2 and JavaScript read it alike. */
  readonly pattern: string;
  /** Why a value is refused, in words: never the pattern itself. */
  readonly message: string;
  /** The pattern compiled once, for the operator. */
  readonly regex: RegExp;
}

function format(pattern: string, message: string): Format {
  return { pattern, message, regex: new RegExp(pattern) };
}

/** DNS-1123 label and subdomain pieces (Kubernetes' IsDNS1123Subdomain). */
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = `${LABEL}([.]${LABEL})*`;
/** The name part of a qualified name (a label key) or a label value. */
const NAME_PART = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';

export const DNS_SUBDOMAIN: Format = format(
  `^${SUBDOMAIN}$`,
  "must be a DNS subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit",
);

/** A DNS-1123 label: the name of a container, and of a group's leader Task. */
export const DNS_LABEL: Format = format(
  `^${LABEL}$`,
  "must be a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit",
);

/** A label key such as `example.com/dedicated` (Kubernetes' IsQualifiedName, lengths aside). */
export const QUALIFIED_NAME: Format = format(
  `^(${SUBDOMAIN}/)?${NAME_PART}$`,
  "must be a label key such as dedicated or example.com/dedicated: letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
);

export const LABEL_VALUE: Format = format(
  `^(${NAME_PART})?$`,
  "must be a label value: letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
);

/**
 * An environment variable name as the API server of Kubernetes 1.36 takes it for a Pod
 * (RelaxedEnvironmentVariableValidation): printable ASCII other than '='. The older rule,
 * `[-._a-zA-Z][-._a-zA-Z0-9]*`, would refuse names such a Pod accepts, e.g. `1PASSWORD`.
 */
export const ENV_NAME: Format = format(
  '^[ -<>-~]+$',
  "must consist of printable ASCII characters other than '='",
);

/** A key of a Secret or ConfigMap (Kubernetes' IsConfigMapKey, length aside). */
export const CONFIG_KEY: Format = format(
  '^[-._a-zA-Z0-9]+$',
  "must be a Secret or ConfigMap key: letters, digits, '-', '_' and '.'",
);

/** The pod fields an environment variable may take its value from (the Downward API's fieldRef). */
export const POD_FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
] as const;

export const FIELD_PATH: Format = format(
  `^(${POD_FIELDS.map((f) => f.replaceAll('.', '[.]')).join('|')}|metadata[.](labels|annotations)\\['(${SUBDOMAIN}/)?${NAME_PART}'\\])$`,
  `must be one of ${POD_FIELDS.join(', ')}, or metadata.labels['<key>'] or metadata.annotations['<key>']`,
);

/**
 * A container image reference, in the grammar of the kubelet's parser (distribution/reference):
 * `[host[:port]/]path[:tag][@digest]`, the path lowercase. The API server takes any string without
 * surrounding spaces, but the kubelet refuses the rest (InvalidImageName): the task would never start.
 */
const PATH_COMPONENT = '[a-z0-9]+((?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(${DOMAIN_COMPONENT}([.]${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*([-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
export const IMAGE: Format = format(
  `^(${HOST}(:[0-9]+)?/)?${PATH_COMPONENT}(/${PATH_COMPONENT})*(:${TAG})?(@${DIGEST})?$`,
  'must be an image reference such as busybox:1.36 or registry.example.com:5000/team/app@sha256:<digest>: no spaces, a lowercase repository path',
);

/** The OCI runtime requires it: a relative working directory fails every container create. */
export const ABSOLUTE_PATH: Format = format(
  '^/',
  'must be an absolute path: the container runtime refuses a relative working directory',
);

/** CEL: whether the string `value` is of `format`, as a raw string literal (no escapes to double). */
export function celMatches(format: Format, value = 'self'): string {
  const quote = format.pattern.includes("'") ? '"' : "'";
  if (format.pattern.includes(quote)) throw new Error(`a pattern cannot hold both quotes: ${format.pattern}`);
  return `${value}.matches(r${quote}${format.pattern}${quote})`;
}

/** A CEL rule that `self` is of `format`, refused with the format's message. */
export function formatRule(format: Format): CelRule {
  return { rule: celMatches(format), message: format.message };
}

/** Whether `value` is of `format`, as the CEL rule judges it. */
export function isOf(format: Format, value: string): boolean {
  return format.regex.test(value);
}
