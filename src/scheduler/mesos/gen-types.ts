import protobuf from 'protobufjs';

/**
 * Renders the TypeScript interfaces of the plain form (plain.ts) from the loaded schema,
 * one module per proto package. types/ holds the output; generated.test.ts fails when
 * it differs from what the .proto files give, so the .proto files stay the one source.
 */
export interface TypeModule {
  /** File name under types/. */
  readonly file: string;
  readonly source: string;
}

export const TYPE_PACKAGES: readonly { readonly pkg: string; readonly file: string }[] = [
  { pkg: 'mesos.v1', file: 'v1.ts' },
  { pkg: 'mesos.v1.scheduler', file: 'scheduler.ts' },
  { pkg: 'mesos.v1.executor', file: 'executor.ts' },
  { pkg: 'mesos.v1.quota', file: 'quota.ts' },
  { pkg: 'mesos.v1.maintenance', file: 'maintenance.ts' },
  { pkg: 'mesos.v1.master', file: 'master.ts' },
];

const PRINT_WIDTH = 110;

const SCALARS: Readonly<Record<string, string>> = {
  string: 'string',
  bool: 'boolean',
  bytes: 'Uint8Array',
};

export function renderTypeModules(root: protobuf.Root): TypeModule[] {
  return TYPE_PACKAGES.map(({ pkg, file }) => ({ file, source: renderPackage(root, pkg) }));
}

type Declared = protobuf.Type | protobuf.Enum;

function renderPackage(root: protobuf.Root, pkg: string): string {
  const namespace = root.lookup(pkg);
  if (!(namespace instanceof protobuf.Namespace)) throw new Error(`no package ${pkg}`);
  const imports = new Map<string, Set<string>>();
  const blocks: string[] = [];
  for (const nested of namespace.nestedArray) {
    if (isDeclared(nested)) renderDeclared(nested, pkg, imports, blocks);
  }
  const header = [
    `// Generated from the ${pkg} .proto by gen-types.ts: do not edit. To regenerate, run the`,
    '// unit tests of src/scheduler/mesos/generated.test.ts with KMESOS_WRITE_MESOS_GENERATED=1.',
  ];
  const importLines = [...imports].map(([file, names]) => renderImport(file, [...names].sort()));
  return [header.join('\n'), ...importLines, ...blocks].join('\n\n') + '\n';
}

function isDeclared(object: protobuf.ReflectionObject): object is Declared {
  return object instanceof protobuf.Type || object instanceof protobuf.Enum;
}

function renderDeclared(
  object: Declared,
  pkg: string,
  imports: Map<string, Set<string>>,
  blocks: string[],
): void {
  const doc = `/** ${object.fullName.slice(1)} */`;
  if (object instanceof protobuf.Enum) {
    blocks.push(`${doc}\n${renderUnion(tsName(object), Object.keys(object.values))}`);
    return;
  }
  const fields = object.fieldsArray.map((field) => renderField(field, pkg, imports));
  const body =
    fields.length === 0
      ? `export type ${tsName(object)} = Record<string, never>;`
      : `export interface ${tsName(object)} {\n${fields.join('\n')}\n}`;
  blocks.push(`${doc}\n${body}`);
  for (const nested of object.nestedArray) {
    if (isDeclared(nested)) renderDeclared(nested, pkg, imports, blocks);
  }
}

function renderField(field: protobuf.Field, pkg: string, imports: Map<string, Set<string>>): string {
  const resolved = field.resolvedType;
  let type: string;
  if (resolved === null) {
    type = SCALARS[field.type] ?? 'number';
  } else {
    type = tsName(resolved);
    const owner = packageOf(resolved);
    if (owner !== pkg) {
      const file = TYPE_PACKAGES.find((entry) => entry.pkg === owner)?.file ?? `${owner}.ts`;
      const names = imports.get(file) ?? new Set<string>();
      names.add(type);
      imports.set(file, names);
    }
  }
  // A map field (string keys only in Mesos' protos) is an object in both forms.
  if (field instanceof protobuf.MapField) return `  ${field.name}?: Record<string, ${type}>;`;
  return `  ${field.name}${field.required ? '' : '?'}: ${type}${field.repeated ? '[]' : ''};`;
}

/** Offer.Operation.Type in mesos.v1 becomes Offer_Operation_Type. */
function tsName(object: protobuf.ReflectionObject): string {
  return object.fullName.slice(packageOf(object).length + 2).replaceAll('.', '_');
}

/** The proto package: the nearest enclosing namespace that is not a message. */
function packageOf(object: protobuf.ReflectionObject): string {
  let parent = object.parent;
  while (parent instanceof protobuf.Type) parent = parent.parent;
  return parent === null ? '' : parent.fullName.slice(1);
}

// The two functions below lay the code out the way prettier would, so the output passes
// the project's format check as it is.
function renderUnion(name: string, values: readonly string[]): string {
  const members = values.map((value) => `'${value}'`);
  const line = `export type ${name} = ${members.join(' | ')};`;
  if (line.length <= PRINT_WIDTH) return line;
  return `export type ${name} =\n${members.map((member) => `  | ${member}`).join('\n')};`;
}

function renderImport(file: string, names: readonly string[]): string {
  const from = `'./${file.replace(/\.ts$/, '.js')}'`;
  const line = `import type { ${names.join(', ')} } from ${from};`;
  if (line.length <= PRINT_WIDTH) return line;
  return `import type {\n${names.map((name) => `  ${name},`).join('\n')}\n} from ${from};`;
}
